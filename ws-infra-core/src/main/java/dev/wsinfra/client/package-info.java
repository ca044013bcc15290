/**
 * The WebSocket client: {@link dev.wsinfra.client.WebSocketClient} reaches any
 * {@code ws://} or {@code wss://} service, blocking or with a
 * {@link dev.wsinfra.client.WebSocketListener}, and
 * {@link dev.wsinfra.client.WebSocketClient#reconnecting} keeps a connection up with
 * backoff.
 */
@NullMarked
package dev.wsinfra.client;

import org.jspecify.annotations.NullMarked;
