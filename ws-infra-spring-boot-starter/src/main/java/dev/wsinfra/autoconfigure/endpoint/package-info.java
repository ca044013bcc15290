/**
 * Auto-configuration of declared WebSocket endpoints: registration, the handshake, the
 * sessions and their limits, keepalive, token expiry and refresh, and graceful shutdown.
 */
@NullMarked
package dev.wsinfra.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
