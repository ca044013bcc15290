/**
 * Auto-configuration of {@link dev.wsinfra.client.WebSocketClient}s pre-configured from
 * {@code ws.*}: the {@link dev.wsinfra.autoconfigure.client.WsClientFactory} bean and its
 * customizers.
 */
@NullMarked
package dev.wsinfra.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
