/**
 * Security of the declared WebSocket endpoints: JWT decoding, handshake credentials and
 * authentication, and the filter chain that lets handshakes past the application's Spring
 * Security.
 */
@NullMarked
package dev.wsinfra.autoconfigure.endpoint.security;

import org.jspecify.annotations.NullMarked;
