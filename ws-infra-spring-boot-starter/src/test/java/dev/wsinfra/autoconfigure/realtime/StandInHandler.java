package dev.wsinfra.autoconfigure.realtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the provider stand-ins share: a record of each connection (its handshake, the
 * events it received, its close), found by the scenario it was opened for.
 */
abstract class StandInHandler extends TextWebSocketHandler {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, Recorded> connections = new ConcurrentHashMap<>();

	private final BlockingQueue<Recorded> opened = new LinkedBlockingQueue<>();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		String query = (session.getUri() != null) ? session.getUri().getRawQuery() : null;
		Recorded recorded = new Recorded(query, session.getHandshakeHeaders().getFirst("Authorization"));
		this.connections.put(session.getId(), recorded);
		this.opened.add(recorded);
		opened(session, recorded);
	}

	void opened(WebSocketSession session, Recorded recorded) throws IOException {
	}

	Recorded recorded(WebSocketSession session) {
		return this.connections.get(session.getId());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Recorded recorded = this.connections.remove(session.getId());
		if (recorded != null) {
			recorded.closes.add(status);
		}
	}

	/**
	 * Waits for the next connection the relay opens, skipping those of other tests that
	 * did not wait for theirs.
	 */
	Recorded awaitConnection() throws InterruptedException {
		return awaitConnection((recorded) -> true);
	}

	/** Waits for the next connection of a scenario, skipping the others. */
	Recorded awaitConnection(String scenario) throws InterruptedException {
		return awaitConnection((recorded) -> scenario.equals(recorded.scenario()));
	}

	private Recorded awaitConnection(Predicate<Recorded> matcher) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			Recorded recorded = this.opened.poll(100, TimeUnit.MILLISECONDS);
			if (recorded != null && matcher.test(recorded)) {
				return recorded;
			}
		}
		throw new AssertionError("no provider connection within 20 s");
	}

	static void send(WebSocketSession session, Object event) throws IOException {
		send(session, new TextMessage(JSON.writeValueAsString(event)));
	}

	static synchronized void send(WebSocketSession session, WebSocketMessage<?> message) throws IOException {
		session.sendMessage(message);
	}

	/** What the stand-in saw of one connection. */
	static final class Recorded {

		final @Nullable String query;

		final @Nullable String authorization;

		final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

		final List<JsonNode> all = new CopyOnWriteArrayList<>();

		final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();

		final AtomicLong audioBytes = new AtomicLong();

		final AtomicInteger responses = new AtomicInteger();

		volatile String scenario = "";

		Recorded(@Nullable String query, @Nullable String authorization) {
			this.query = query;
			this.authorization = authorization;
			if (query != null) {
				for (String pair : query.split("&")) {
					if (pair.startsWith("model=")) {
						this.scenario = pair.substring("model=".length());
					}
				}
			}
		}

		void record(JsonNode event) {
			this.all.add(event);
			this.events.add(event);
		}

		String scenario() {
			return this.scenario;
		}

		/** Waits for the next event that matches, skipping the others. */
		JsonNode awaitEvent(Predicate<JsonNode> matcher) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (System.nanoTime() < deadline) {
				JsonNode event = this.events.poll(100, TimeUnit.MILLISECONDS);
				if (event != null && matcher.test(event)) {
					return event;
				}
			}
			throw new AssertionError("no matching event within 20 s");
		}

		JsonNode awaitEvent(String type) throws InterruptedException {
			return awaitEvent((event) -> type.equals(event.path("type").asString("")));
		}

		CloseStatus awaitClose() throws InterruptedException {
			CloseStatus status = this.closes.poll(20, TimeUnit.SECONDS);
			assertThat(status).as("a close within 20 s").isNotNull();
			return status;
		}

	}

}
