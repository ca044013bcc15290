/**
 * Declaring WebSocket endpoints, with {@link dev.wsinfra.endpoint.WsEndpoint @WsEndpoint}
 * or {@link dev.wsinfra.endpoint.WsRoutes}, and observing their connections.
 */
@NullMarked
package dev.wsinfra.endpoint;

import org.jspecify.annotations.NullMarked;
