package dev.wsinfra.autoconfigure.client;

import java.net.URI;
import java.util.List;

import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds {@link WebSocketClient}s configured from {@code ws.*} (the seed's {@code WS_*}
 * variables), with the application's JSON mapper and every {@link WsClientCustomizer}
 * applied. Thread-safe; each call returns a new builder or client.
 *
 * @since 0.1.0
 */
public final class WsClientFactory {

	private final WebSocketConfig config;

	private final JsonMapper jsonMapper;

	private final List<WsClientCustomizer> customizers;

	/**
	 * Creates a factory.
	 * @param config the configuration every client starts from
	 * @param jsonMapper the mapper for {@code sendJson} and {@code recvJson}
	 * @param customizers applied in order to every builder
	 */
	public WsClientFactory(WebSocketConfig config, JsonMapper jsonMapper, List<WsClientCustomizer> customizers) {
		this.config = config;
		this.jsonMapper = jsonMapper;
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Returns a builder for a connection to the given URL, configured and customized; add
	 * headers or subprotocols, then build, open or reconnect.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a new builder
	 */
	public WebSocketClient.Builder builder(String url) {
		return customize(WebSocketClient.builder(url));
	}

	/**
	 * Returns a builder for a connection to the given URL, configured and customized.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a new builder
	 */
	public WebSocketClient.Builder builder(URI url) {
		return customize(WebSocketClient.builder(url));
	}

	/**
	 * Opens a connection, the seed's {@code easy_websocket_client}.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return the connected client
	 * @throws dev.wsinfra.ConnectionFailedException if the connection cannot be
	 * established
	 */
	public WebSocketClient open(String url) {
		return builder(url).open();
	}

	/**
	 * Returns the reconnecting iteration, the seed's
	 * {@code websocket_connect(url, auto_reconnect=True)}.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a fresh connection each time the previous one drops
	 */
	public Iterable<WebSocketClient> reconnecting(String url) {
		return builder(url).reconnecting();
	}

	/**
	 * Returns the configuration every client starts from.
	 * @return the configuration from {@code ws.*}
	 */
	public WebSocketConfig config() {
		return this.config;
	}

	private WebSocketClient.Builder customize(WebSocketClient.Builder builder) {
		builder.config(this.config).jsonMapper(this.jsonMapper);
		for (WsClientCustomizer customizer : this.customizers) {
			customizer.customize(builder);
		}
		return builder;
	}

}
