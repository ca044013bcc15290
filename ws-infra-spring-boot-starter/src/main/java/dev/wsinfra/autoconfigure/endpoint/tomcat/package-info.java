/**
 * Tomcat's part of the declared WebSocket endpoints: the WebSocket container's message
 * buffers, the connector's socket buffers and the valve that keeps credentials out of the
 * access log.
 */
@NullMarked
package dev.wsinfra.autoconfigure.endpoint.tomcat;

import org.jspecify.annotations.NullMarked;
