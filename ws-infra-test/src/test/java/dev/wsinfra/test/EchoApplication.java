package dev.wsinfra.test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * A server for the kit's tests: {@code /echo} greets with what the handshake carried,
 * echoes messages and obeys a few commands; a handshake with {@code X-Refuse} is refused
 * with 403.
 */
@SpringBootApplication
@EnableWebSocket
class EchoApplication implements WebSocketConfigurer {

	/** How a flood of large messages ended, by session id. */
	static final Map<String, CompletableFuture<String>> floods = new ConcurrentHashMap<>();

	/** Ids of the sessions open now. */
	static final Set<String> open = ConcurrentHashMap.newKeySet();

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new EchoHandler(), "/echo").addInterceptors(new Refuser());
	}

	static final class EchoHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

		@Override
		public List<String> getSubProtocols() {
			return List.of("bearer");
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws IOException {
			open.add(session.getId());
			String protocols = String.join(",", session.getHandshakeHeaders().getOrEmpty("Sec-WebSocket-Protocol"));
			session.sendMessage(new TextMessage(
					"hello id=" + session.getId() + " query=" + session.getUri().getRawQuery() + " authorization="
							+ session.getHandshakeHeaders().getFirst("Authorization") + " protocols=" + protocols));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			String text = message.getPayload();
			if (text.startsWith("close:")) {
				session.close(new CloseStatus(Integer.parseInt(text.substring(6)), "asked to"));
			}
			else if (text.startsWith("repeat:")) {
				String[] parts = text.split(":");
				for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
					session.sendMessage(new TextMessage(parts[2] + i));
				}
			}
			else if (text.equals("flood")) {
				flood(session);
			}
			else {
				session.sendMessage(message);
			}
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
			session.sendMessage(message);
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			open.remove(session.getId());
		}

		/**
		 * Writes 32 MB with a send timeout of 1 s on another thread, and says how it
		 * ended.
		 */
		private void flood(WebSocketSession session) {
			Session jakarta = ((StandardWebSocketSession) session).getNativeSession(Session.class);
			jakarta.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", 1000L);
			CompletableFuture<String> outcome = floods.computeIfAbsent(session.getId(),
					(id) -> new CompletableFuture<>());
			Thread writer = new Thread(() -> {
				try {
					for (int i = 0; i < 512; i++) {
						session.sendMessage(new BinaryMessage(new byte[64 * 1024]));
					}
					outcome.complete("sent");
				}
				catch (IOException | RuntimeException ex) {
					outcome.complete("stuck");
				}
			}, "flood");
			writer.setDaemon(true);
			writer.start();
		}

	}

	static final class Refuser implements HandshakeInterceptor {

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
				Map<String, Object> attributes) {
			if (request.getHeaders().containsHeader("X-Refuse")) {
				response.setStatusCode(HttpStatus.FORBIDDEN);
				return false;
			}
			return true;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
				@Nullable Exception exception) {
		}

	}

}
