package dev.wsinfra.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.wsinfra.config.WebSocketConfig;
import org.jspecify.annotations.Nullable;

/**
 * What a client is built with.
 *
 * @param uri the URL
 * @param config the configuration
 * @param headers the handshake headers
 * @param subprotocols the subprotocols to offer
 * @param listener the listener, if messages are pushed
 * @param sslContext the TLS context of {@code wss} connections, or {@code null} for the
 * JVM's default
 * @param permessageDeflate whether to offer the permessage-deflate extension
 * @param reconnecting whether the client is one of
 * {@link WebSocketClient.Builder#reconnecting()}'s, which open another connection after
 * any end they retry
 */
record ClientSettings(URI uri, WebSocketConfig config, Map<String, List<String>> headers, List<String> subprotocols,
		@Nullable WebSocketListener listener, @Nullable SSLContext sslContext, boolean permessageDeflate,
		boolean reconnecting) {
}
