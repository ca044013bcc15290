package dev.wsinfra.realtime;

import org.springframework.web.socket.WebSocketSession;

/**
 * Customizes the configuration of each relay session before its provider connection
 * opens, for example to choose instructions or tools by the user's scopes. Beans of this
 * type are applied in order, on the thread that opens the provider connection.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RealtimeSessionCustomizer {

	/**
	 * Customizes one session.
	 * @param config the configuration so far
	 * @param client the browser's session: its principal
	 * ({@code dev.wsinfra.security.WsPrincipal.find(client)}), attributes and handshake
	 */
	void customize(RealtimeSessionConfig.Builder config, WebSocketSession client);

}
