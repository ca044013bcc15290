package dev.wsinfra.redis;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.wsinfra.internal.Utf8;
import dev.wsinfra.redis.internal.Envelopes;
import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.StreamEntry;
import dev.wsinfra.server.SendType;
import dev.wsinfra.server.internal.LocalDelivery;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Delivers persistent stream entries to this instance's connections, live and on
 * recovery, through each connection's cursor so that every entry reaches a connection
 * once and in stream order.
 */
final class StreamDelivery {

	static final String BROADCAST_STREAM = "broadcast";

	static final String ROOM_STREAM_PREFIX = "room:";

	static final String USER_STREAM_PREFIX = "user:";

	// How many stream reads a repair sends before it waits for their replies.
	private static final int REPAIR_WINDOW = 200;

	private final KeyLayout keys;

	private final Envelopes envelopes;

	private final RedisBackend backend;

	private final LocalRegistry registry;

	private final LocalSends sends;

	private final long replayBudget;

	private final RedisHealth health;

	private final Statistics statistics;

	// Gaps opened so far.
	private final AtomicLong gaps = new AtomicLong();

	private final Runnable repairRequests;

	/**
	 * @param repairRequests asks for a repair, when a recovery ended on a stream that
	 * waits for one
	 */
	StreamDelivery(KeyLayout keys, Envelopes envelopes, RedisBackend backend, LocalRegistry registry, LocalSends sends,
			RedisHealth health, Statistics statistics, long outboundQueueBytes, Runnable repairRequests) {
		this.statistics = statistics;
		this.repairRequests = repairRequests;
		this.keys = keys;
		this.envelopes = envelopes;
		this.backend = backend;
		this.registry = registry;
		this.sends = sends;
		this.health = health;
		this.replayBudget = outboundQueueBytes / 2;
	}

	static @Nullable String roomOf(String stream) {
		return stream.startsWith(ROOM_STREAM_PREFIX) ? stream.substring(ROOM_STREAM_PREFIX.length()) : null;
	}

	static @Nullable StreamPosition position(StreamEntry entry) {
		try {
			return new StreamPosition(entry.stream(), entry.epoch(), entry.id());
		}
		catch (IllegalArgumentException ex) {
			// An entry written by something else, without our epoch.
			return null;
		}
	}

	/**
	 * Delivers a live entry that arrived on a channel to the connections it targets here,
	 * as one batch: each connection's cursor decides whether the frame is queued on it
	 * now, held back or skipped, and those it is queued on are handed to the writers
	 * together.
	 */
	void deliver(KeyLayout.ChannelTarget target, StreamEntry entry) {
		StreamPosition position = position(entry);
		if (position == null) {
			return;
		}
		List<LocalConnection> targets = switch (target.kind()) {
			case BROADCAST -> this.registry.connections();
			case ROOM -> this.registry.roomConnections(target.name(), null);
			case USER -> this.registry.connections(target.name());
			case ACK -> List.of();
		};
		if (targets.isEmpty()) {
			return;
		}
		String frame = this.envelopes.streamFrame("message", entry, position.token());
		LocalDelivery.Batch batch = this.sends.batch(frame, SendType.PERSISTENT, targets.size());
		for (LocalConnection connection : targets) {
			// Queued under the connection's lock, so in stream order with its replays
			// and repairs; offer hands over no frame but this one.
			connection.offer(entry, connection.userId.equals(entry.excludeUser()) ? null : frame,
					(same) -> batch.to(connection.session));
		}
		batch.submit();
	}

	/**
	 * Recovers one stream for a connection: replays what followed the position, then the
	 * recovery frame, then the live entries that arrived meanwhile.
	 */
	RecoveryResult recover(LocalConnection connection, StreamPosition position) {
		String stream = position.stream();
		Consumer<String> sender = sender(connection);
		List<StreamEntry> entries = null;
		if (this.health.isAvailable() && mayRead(connection, stream) && connection.beginRecovery(position, sender)) {
			try {
				this.backend.gateway.await(this.backend.subscriptions.confirmation(liveChannel(connection, stream)),
						"subscribe");
				entries = this.backend.streams.readAfter(position);
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
		}
		if (entries == null) {
			return notRecovered(connection, stream, sender);
		}
		List<Map.Entry<StreamEntry, @Nullable String>> replay = frames(connection, entries, render(entries));
		if (exceedsReplayBudget(replay)) {
			// Queued at once, the replay would overflow the connection's outbound
			// queue and close it with 1013, again at each reconnect: the client
			// reloads instead.
			return notRecovered(connection, stream, sender);
		}
		int count = (int) replay.stream().filter((item) -> item.getValue() != null).count();
		StreamPosition last = entries.isEmpty() ? position : positionOf(entries.get(entries.size() - 1));
		this.statistics.recoveries.incrementAndGet();
		this.statistics.replayed.addAndGet(count);
		if (connection.finishRecovery(stream, replay, last,
				this.envelopes.recoveryFrame(stream, true, count, last.token()), sender)) {
			this.repairRequests.run();
		}
		return new RecoveryResult(stream, true, count, last);
	}

	private RecoveryResult notRecovered(LocalConnection connection, String stream, Consumer<String> sender) {
		this.statistics.failedRecoveries.incrementAndGet();
		if (connection.abandonRecovery(stream, this.envelopes.recoveryFrame(stream, false, 0, null), sender)) {
			this.repairRequests.run();
		}
		return new RecoveryResult(stream, false, 0, null);
	}

	/**
	 * Returns whether the replay's frames take more than half the byte budget of a
	 * connection's outbound queue, leaving the other half to live traffic.
	 */
	private boolean exceedsReplayBudget(List<Map.Entry<StreamEntry, @Nullable String>> replay) {
		long budget = this.replayBudget;
		long bytes = 0;
		for (Map.Entry<StreamEntry, @Nullable String> item : replay) {
			String frame = item.getValue();
			if (frame != null) {
				bytes += Utf8.encodedLength(frame);
				if (bytes > budget) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Opens a gap: this instance may have missed live entries, dropped from its inbound
	 * queue or published while its pub/sub connection was down. Each connection holds
	 * back the live entries of the streams it stands in before it takes the next one,
	 * until {@link #repair} read the streams after its cursors.
	 */
	void openGap() {
		this.gaps.incrementAndGet();
	}

	/** The count of gaps so far, which connections catch up with. */
	long gap() {
		return this.gaps.get();
	}

	/**
	 * Repairs the gaps opened so far: for each connection and stream it stands in, writes
	 * what the stream holds after the connection's cursor, in order and once, then the
	 * live entries held back. A stream that cannot be read after the cursor (trimmed past
	 * it, a new epoch, the user may no longer read it) gets {@code "recovered":false},
	 * like a failed recovery. Reads each position once however many connections stand at
	 * it.
	 * @return the number of stream positions repaired and of those that could not be
	 * @throws DataAccessException when Redis cannot be read; what is not repaired yet
	 * waits for the next repair
	 */
	long[] repair() {
		long gap = this.gaps.get();
		Map<StreamPosition, List<Map.Entry<LocalConnection, LocalConnection.RepairPoint>>> byCursor = new HashMap<>();
		for (LocalConnection connection : this.registry.connections()) {
			for (LocalConnection.RepairPoint point : connection.repairPoints(gap, sender(connection))) {
				StreamPosition cursor = point.cursor();
				if (cursor == null) {
					connection.finishRepair(point, List.of(), null, sender(connection));
				}
				else {
					byCursor.computeIfAbsent(cursor, (key) -> new ArrayList<>())
						.add(new AbstractMap.SimpleImmutableEntry<>(connection, point));
				}
			}
		}
		long[] counts = new long[2];
		List<StreamPosition> cursors = new ArrayList<>(byCursor.keySet());
		// The reads of a window are pipelined: one round trip for all of them.
		for (int start = 0; start < cursors.size(); start += REPAIR_WINDOW) {
			List<StreamPosition> window = cursors.subList(start, Math.min(cursors.size(), start + REPAIR_WINDOW));
			List<CompletableFuture<@Nullable List<StreamEntry>>> reads = new ArrayList<>(window.size());
			for (StreamPosition cursor : window) {
				reads.add(this.backend.streams.readAfterAsync(cursor));
			}
			for (int i = 0; i < window.size(); i++) {
				StreamPosition cursor = window.get(i);
				List<StreamEntry> entries = this.backend.gateway.await(reads.get(i), "read-after");
				finishRepairs(cursor, entries, byCursor.get(cursor), counts);
			}
		}
		return counts;
	}

	// Counts into counts[0] the connections repaired, into counts[1] those that could
	// not be.
	private void finishRepairs(StreamPosition cursor, @Nullable List<StreamEntry> entries,
			List<Map.Entry<LocalConnection, LocalConnection.RepairPoint>> group, long[] counts) {
		List<String> rendered = (entries != null) ? render(entries) : List.of();
		for (Map.Entry<LocalConnection, LocalConnection.RepairPoint> item : group) {
			LocalConnection connection = item.getKey();
			if (entries != null && mayRead(connection, cursor.stream())) {
				connection.finishRepair(item.getValue(), frames(connection, entries, rendered), null,
						sender(connection));
				counts[0]++;
			}
			else {
				this.statistics.failedRecoveries.incrementAndGet();
				connection.finishRepair(item.getValue(), null,
						this.envelopes.recoveryFrame(cursor.stream(), false, 0, null), sender(connection));
				counts[1]++;
			}
		}
	}

	/**
	 * Answers a position token that does not parse.
	 */
	RecoveryResult malformed(LocalConnection connection) {
		this.statistics.failedRecoveries.incrementAndGet();
		send(connection, this.envelopes.recoveryFrame(null, false, 0, null));
		return new RecoveryResult(null, false, 0, null);
	}

	/**
	 * Answers a position that is not read because the request had too many.
	 */
	RecoveryResult refuse(LocalConnection connection, String stream) {
		this.statistics.failedRecoveries.incrementAndGet();
		send(connection, this.envelopes.recoveryFrame(stream, false, 0, null));
		return new RecoveryResult(stream, false, 0, null);
	}

	// The frame of each entry, written once for every connection that gets it.
	private List<String> render(List<StreamEntry> entries) {
		List<String> frames = new ArrayList<>(entries.size());
		for (StreamEntry entry : entries) {
			frames.add(this.envelopes.streamFrame("message", entry, positionOf(entry).token()));
		}
		return frames;
	}

	// The frame of each entry for a connection, null for an entry that excludes its user.
	private static List<Map.Entry<StreamEntry, @Nullable String>> frames(LocalConnection connection,
			List<StreamEntry> entries, List<String> rendered) {
		List<Map.Entry<StreamEntry, @Nullable String>> frames = new ArrayList<>(entries.size());
		for (int i = 0; i < entries.size(); i++) {
			StreamEntry entry = entries.get(i);
			String frame = connection.userId.equals(entry.excludeUser()) ? null : rendered.get(i);
			frames.add(new AbstractMap.SimpleImmutableEntry<>(entry, frame));
		}
		return frames;
	}

	// For the entries a recovery read, which carry the epoch of the position read after.
	private static StreamPosition positionOf(StreamEntry entry) {
		return new StreamPosition(entry.stream(), entry.epoch(), entry.id());
	}

	private boolean mayRead(LocalConnection connection, String stream) {
		String room = roomOf(stream);
		if (room != null) {
			return this.registry.isMember(connection.userId, room);
		}
		if (stream.startsWith(USER_STREAM_PREFIX)) {
			return stream.substring(USER_STREAM_PREFIX.length()).equals(connection.userId);
		}
		return true;
	}

	private String liveChannel(LocalConnection connection, String stream) {
		String room = roomOf(stream);
		if (room != null) {
			return this.keys.roomChannel(room);
		}
		if (stream.startsWith(USER_STREAM_PREFIX)) {
			return this.keys.userChannel(connection.userId);
		}
		return this.keys.broadcastChannel();
	}

	private Consumer<String> sender(LocalConnection connection) {
		return (frame) -> send(connection, frame);
	}

	// Reported as persistent, not as a direct send.
	private void send(LocalConnection connection, String frame) {
		LocalDelivery.Batch batch = this.sends.batch(frame, SendType.PERSISTENT, 1);
		batch.to(connection.session);
		batch.submit();
	}

}
