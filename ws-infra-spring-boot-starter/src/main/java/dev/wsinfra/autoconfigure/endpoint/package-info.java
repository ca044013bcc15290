/**
 * Auto-configuration of declared WebSocket endpoints: registration, handshake
 * authentication, limits, keepalive, token expiry and graceful shutdown.
 */
@NullMarked
package dev.wsinfra.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
