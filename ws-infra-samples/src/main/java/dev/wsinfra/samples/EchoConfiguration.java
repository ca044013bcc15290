package dev.wsinfra.samples;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The public echo endpoint, {@code /ws/echo}, with its connections tracked by the manager.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class EchoConfiguration implements WebSocketConfigurer {

	private final ConnectionManager manager;

	EchoConfiguration(ConnectionManager manager) {
		this.manager = manager;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new EchoHandler(this.manager), "/ws/echo");
	}

	@Bean(destroyMethod = "close")
	static InMemoryConnectionManager connectionManager() {
		return new InMemoryConnectionManager();
	}

	static final class EchoHandler extends TextWebSocketHandler {

		private final ConnectionManager manager;

		EchoHandler(ConnectionManager manager) {
			this.manager = manager;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			this.manager.connect("anonymous-" + session.getId(), session);
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			this.manager.send(session, message.getPayload());
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.manager.disconnect("anonymous-" + session.getId(), session, status);
		}

	}

}
