package dev.wsinfra.autoconfigure.client;

import dev.wsinfra.client.WebSocketClient;

/**
 * Customizes every {@link WebSocketClient.Builder} that {@link WsClientFactory} hands
 * out, for example to add a header all outgoing connections need. Beans of this type are
 * applied in order.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WsClientCustomizer {

	/**
	 * Customizes a builder.
	 * @param builder the builder, already carrying the configuration from {@code ws.*}
	 */
	void customize(WebSocketClient.Builder builder);

}
