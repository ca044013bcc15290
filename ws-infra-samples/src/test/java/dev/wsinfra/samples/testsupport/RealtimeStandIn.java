package dev.wsinfra.samples.testsupport;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local stand-in for the OpenAI Realtime API, so that the real service is never called.
 * Speaks the Realtime API's events: {@code session.created} on connect,
 * {@code session.updated} for an update, and for {@code response.create} three audio
 * deltas with an error event among them, then {@code response.done}. Records each
 * connection, found again by the instructions of its {@code response.create}.
 */
public class RealtimeStandIn extends TextWebSocketHandler {

	/** The audio chunks of every answer, in order. */
	public static final byte[][] CHUNKS = { { 1, 2, 3 }, { 4, 5 }, { 6, 7, 8, 9 } };

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, Connection> connections = new ConcurrentHashMap<>();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		HttpHeaders headers = session.getHandshakeHeaders();
		this.connections.put(session.getId(),
				new Connection(headers.getFirst("Authorization"), headers.getFirst("OpenAI-Beta")));
		send(session, Map.of("type", "session.created", "session", Map.of("id", "sess_" + session.getId())));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		JsonNode event = json.readTree(message.getPayload());
		Connection connection = this.connections.get(session.getId());
		connection.events.add(event);
		switch (event.path("type").asString()) {
			case "session.update" -> send(session, Map.of("type", "session.updated"));
			case "response.create" -> {
				connection.instructions = event.path("response").path("instructions").asString();
				send(session, delta(CHUNKS[0]));
				send(session, delta(CHUNKS[1]));
				send(session, Map.of("type", "error", "error", Map.of("message", "stand-in failure")));
				send(session, delta(CHUNKS[2]));
				send(session, Map.of("type", "response.done"));
			}
			default -> send(session, Map.of("type", "error", "error", Map.of("message", "unknown event")));
		}
	}

	private static Map<String, String> delta(byte[] chunk) {
		return Map.of("type", "response.audio.delta", "delta", Base64.getEncoder().encodeToString(chunk));
	}

	private static void send(WebSocketSession session, Object event) throws IOException {
		session.sendMessage(new TextMessage(json.writeValueAsString(event)));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.connections.get(session.getId()).closes.add(status);
	}

	public Connection awaitConnection(String instructions) {
		return this.connections.values()
			.stream()
			.filter((connection) -> instructions.equals(connection.instructions))
			.findFirst()
			.orElseThrow();
	}

	/** What the stand-in saw of one connection. */
	public static final class Connection {

		private final @Nullable String authorization;

		private final @Nullable String beta;

		private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

		private final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();

		private volatile @Nullable String instructions;

		Connection(@Nullable String authorization, @Nullable String beta) {
			this.authorization = authorization;
			this.beta = beta;
		}

		public @Nullable String authorization() {
			return this.authorization;
		}

		public @Nullable String beta() {
			return this.beta;
		}

		public JsonNode awaitEvent() throws InterruptedException {
			return take(this.events);
		}

		public CloseStatus awaitClose() throws InterruptedException {
			return take(this.closes);
		}

		private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
			T item = queue.poll(20, TimeUnit.SECONDS);
			assertThat(item).as("a stand-in event within 20 s").isNotNull();
			return item;
		}

	}

}
