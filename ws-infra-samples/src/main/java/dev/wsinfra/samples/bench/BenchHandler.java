package dev.wsinfra.samples.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.server.ConnectionManager;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Serves the bench protocol on a managed endpoint: each client is a user of its own, {@code ?room=r} joins a room,
 * and {@code {"type":"fanout","count":K,"size":S,"room":null|"r"}} makes the server send K
 * messages through {@link ConnectionManager#broadcast} or
 * {@link ConnectionManager#broadcastToRoom}; {@code "intervalMs":X} paces them one every X ms.
 * Without it, the burst is paced by {@link ConnectionManager#flush}: the next messages are
 * produced once the previous ones were written to every connection that keeps up, as a
 * producer of live data would do.
 */
class BenchHandler extends TextWebSocketHandler implements DisposableBean {

	static final int MAX_COUNT = 100_000;

	static final int MAX_SIZE = 1_000_000;

	private static final long MAX_INTERVAL_MS = 60_000;

	private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

	private final ConnectionManager manager;

	private final JsonMapper jsonMapper;

	private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "bench-pacer");
		thread.setDaemon(true);
		return thread;
	});

	private final int flushEvery;

	/**
	 * Creates the handler.
	 * @param manager the manager that sends
	 * @param jsonMapper parses commands
	 * @param flushEvery in burst mode, wait for {@link ConnectionManager#flush} after this
	 * many messages, so that the burst is paced by the network; 0 queues the whole burst at once
	 */
	BenchHandler(ConnectionManager manager, JsonMapper jsonMapper, int flushEvery) {
		this.manager = manager;
		this.jsonMapper = jsonMapper;
		this.flushEvery = flushEvery;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		String room = (session.getUri() != null)
				? UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams().getFirst("room") : null;
		if (room != null && !room.isEmpty()) {
			this.manager.joinRoom(userOf(session), room);
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		JsonNode command;
		try {
			command = this.jsonMapper.readTree(message.getPayload());
		}
		catch (JacksonException ex) {
			this.manager.send(session, new BenchError("malformed JSON"));
			return;
		}
		if (!"fanout".equals(command.path("type").asString(""))) {
			this.manager.send(session, new BenchError("unknown type, expected fanout"));
			return;
		}
		int count = Math.max(0, Math.min(command.path("count").asInt(1), MAX_COUNT));
		String pad = "x".repeat(Math.max(0, Math.min(command.path("size").asInt(0), MAX_SIZE)));
		JsonNode roomNode = command.get("room");
		String room = (roomNode == null || roomNode.isNull()) ? null : roomNode.asString();
		long intervalMs = Math.max(0, Math.min(command.path("intervalMs").asLong(0), MAX_INTERVAL_MS));
		if (intervalMs > 0) {
			pace(count, pad, room, intervalMs);
			return;
		}
		for (int seq = 0; seq < count; seq++) {
			send(BenchMessage.of(seq, pad), room);
			if (this.flushEvery > 0 && (seq + 1) % this.flushEvery == 0) {
				this.manager.flush(FLUSH_TIMEOUT);
			}
		}
	}

	private void pace(int count, String pad, @Nullable String room, long intervalMs) {
		AtomicInteger next = new AtomicInteger();
		AtomicReference<ScheduledFuture<?>> schedule = new AtomicReference<>();
		schedule.set(this.pacer.scheduleAtFixedRate(() -> {
			int seq = next.getAndIncrement();
			if (seq >= count) {
				ScheduledFuture<?> future = schedule.get();
				if (future != null) {
					future.cancel(false);
				}
				return;
			}
			send(BenchMessage.of(seq, pad), room);
		}, 0, intervalMs, TimeUnit.MILLISECONDS));
	}

	private void send(BenchMessage message, @Nullable String room) {
		if (room == null) {
			this.manager.broadcast(message);
		}
		else {
			this.manager.broadcastToRoom(room, message);
		}
	}

	@Override
	public void destroy() {
		this.pacer.shutdownNow();
	}

	/**
	 * Returns the user the library registered the session as: an anonymous session of a
	 * managed endpoint is a user of its own, with a random id.
	 */
	private static String userOf(WebSocketSession session) {
		return (String) session.getAttributes().get(WsEndpoint.USER_ID_ATTRIBUTE);
	}

	/** The answer to a command the endpoint does not understand. */
	record BenchError(String type, String message) {

		BenchError(String message) {
			this("error", message);
		}

	}

}
