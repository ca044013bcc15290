package dev.wsinfra.samples.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Serves the bench protocol on a managed endpoint: each client is a user of its own,
 * {@code ?room=r} joins a room, and
 * {@code {"type":"fanout","count":K,"size":S,"room":null|"r"}} makes the server send K
 * messages to every bench client, or to the room's members; {@code "intervalMs":X} paces
 * them one every X ms. Without it, the burst is paced by {@link ConnectionManager#flush}:
 * the next messages are produced once the previous ones were written to every connection
 * that keeps up, as a producer of live data would do.
 * <p>
 * The endpoint is public, so it keeps to rooms of its own: every room it names starts
 * with {@link #ROOM_PREFIX}, and "every bench client" is the room {@link #ALL_ROOM} that
 * each of them joins, never the service's other connections. One command sends at most
 * {@link #MAX_BYTES_PER_COMMAND} bytes of padding in all, a client runs one paced fan-out
 * at a time, and a fan-out stops when the client that asked for it leaves.
 */
class BenchHandler extends TextWebSocketHandler implements DisposableBean {

	/** Start of the name of every room the bench endpoint joins or sends to. */
	static final String ROOM_PREFIX = "bench:";

	/** The room of every bench client: a fan-out without a room goes there. */
	static final String ALL_ROOM = ROOM_PREFIX + "all";

	static final int MAX_COUNT = 100_000;

	static final int MAX_SIZE = 1_000_000;

	/** The most padding one command may send, summed over its messages: 64 MiB. */
	static final long MAX_BYTES_PER_COMMAND = 64L * 1024 * 1024;

	private static final long MAX_INTERVAL_MS = 60_000;

	private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);

	private final ConnectionManager manager;

	private final JsonMapper jsonMapper;

	private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "bench-pacer");
		thread.setDaemon(true);
		return thread;
	});

	// The paced fan-out of each session that runs one, by session id.
	private final Map<String, ScheduledFuture<?>> paced = new ConcurrentHashMap<>();

	private final int flushEvery;

	/**
	 * Creates the handler.
	 * @param manager the manager that sends
	 * @param jsonMapper parses commands
	 * @param flushEvery in burst mode, wait for {@link ConnectionManager#flush} after
	 * this many messages, so that the burst is paced by the network; 0 queues the whole
	 * burst at once
	 */
	BenchHandler(ConnectionManager manager, JsonMapper jsonMapper, int flushEvery) {
		this.manager = manager;
		this.jsonMapper = jsonMapper;
		this.flushEvery = flushEvery;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		String user = userOf(session);
		this.manager.joinRoom(user, ALL_ROOM);
		String room = (session.getUri() != null)
				? UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams().getFirst("room") : null;
		if (room != null && !room.isEmpty()) {
			this.manager.joinRoom(user, ROOM_PREFIX + room);
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
		int size = Math.max(0, Math.min(command.path("size").asInt(0), MAX_SIZE));
		if ((long) count * size > MAX_BYTES_PER_COMMAND) {
			this.manager.send(session, new BenchError(
					"count x size must not exceed " + MAX_BYTES_PER_COMMAND + " bytes, was " + count + " x " + size));
			return;
		}
		String pad = "x".repeat(size);
		JsonNode roomNode = command.get("room");
		String room = (roomNode == null || roomNode.isNull()) ? ALL_ROOM : ROOM_PREFIX + roomNode.asString();
		long intervalMs = Math.max(0, Math.min(command.path("intervalMs").asLong(0), MAX_INTERVAL_MS));
		if (intervalMs > 0) {
			pace(session, count, pad, room, intervalMs);
			return;
		}
		for (int seq = 0; seq < count && session.isOpen(); seq++) {
			this.manager.broadcastToRoom(room, BenchMessage.of(seq, pad));
			if (this.flushEvery > 0 && (seq + 1) % this.flushEvery == 0) {
				this.manager.flush(FLUSH_TIMEOUT);
			}
		}
	}

	private void pace(WebSocketSession session, int count, String pad, String room, long intervalMs) {
		if (this.paced.containsKey(session.getId())) {
			this.manager.send(session, new BenchError("a paced fanout of this client is still running"));
			return;
		}
		AtomicInteger next = new AtomicInteger();
		// Each run finds its own schedule in the map: a run can start before
		// scheduleAtFixedRate returns.
		this.paced.computeIfAbsent(session.getId(), (id) -> this.pacer.scheduleAtFixedRate(() -> {
			int seq = next.getAndIncrement();
			if (seq >= count || !session.isOpen()) {
				stopPacing(session.getId());
				return;
			}
			this.manager.broadcastToRoom(room, BenchMessage.of(seq, pad));
		}, 0, intervalMs, TimeUnit.MILLISECONDS));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		stopPacing(session.getId());
	}

	private void stopPacing(String sessionId) {
		ScheduledFuture<?> schedule = this.paced.remove(sessionId);
		if (schedule != null) {
			schedule.cancel(false);
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

	/** The answer to a command the endpoint does not carry out. */
	record BenchError(String type, String message) {

		BenchError(String message) {
			this("error", message);
		}

	}

}
