package dev.wsinfra.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import dev.wsinfra.redis.internal.StreamEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * A connection held by this instance, with where it stands in each persistent stream.
 * <p>
 * Stream deliveries to the connection go through {@link #offer}, the recovery methods and
 * the repair methods, all synchronized on the connection: a stream in recovery or waiting
 * for a repair holds back its live entries until what precedes them is written, and every
 * entry at or before the connection's cursor is skipped, so the client sees each entry
 * once and in stream order.
 * <p>
 * <b>Gaps.</b> When this instance may have missed live entries (it dropped messages from
 * Redis, or its pub/sub connection dropped), the gap counter moves. Before the connection
 * takes its next live entry it notices, and holds back the live entries of every stream
 * it stands in until a repair read the stream after its cursor: no entry after the gap
 * can move the cursor past an entry the gap swallowed.
 */
final class LocalConnection {

	final String id;

	final String userId;

	final WebSocketSession session;

	final Instant connectedAt;

	final Map<String, Object> metadata;

	private final LongSupplier gaps;

	// Guarded by this.
	private final Map<String, StreamState> streams = new HashMap<>();

	// Guarded by this: the gap counter this connection last caught up with.
	private long seenGap;

	// Room streams to recover once the user joins the room. Not guarded by this: it is
	// used under the user's monitor, which must never wait for a connection's (a delivery
	// holding a connection's monitor can reach the user's through a disconnect).
	private final Map<String, StreamPosition> awaitingMembership = new ConcurrentHashMap<>();

	// Room streams of rooms the user left, whose state the connection drops at its next
	// step under its lock. Written under the user's monitor, like awaitingMembership.
	private final Set<String> departed = ConcurrentHashMap.newKeySet();

	/**
	 * @param gaps the gap counter of the instance
	 */
	LocalConnection(String id, String userId, WebSocketSession session, Map<String, Object> metadata,
			Set<String> recoveringStreams, LongSupplier gaps) {
		this.id = id;
		this.userId = userId;
		this.session = session;
		this.connectedAt = Instant.now();
		this.metadata = Map.copyOf(metadata);
		this.gaps = gaps;
		this.seenGap = gaps.getAsLong();
		for (String stream : recoveringStreams) {
			StreamState state = state(stream);
			state.recovering = true;
			state.holdBack();
		}
	}

	/**
	 * Delivers a live stream entry, or holds it back while its stream is in recovery or
	 * waits for a repair.
	 * @param frame the frame to send, or {@code null} when the entry excludes this user
	 */
	synchronized void offer(StreamEntry entry, @Nullable String frame, Consumer<String> sender) {
		forgetDeparted(sender);
		catchUp(this.gaps.getAsLong());
		StreamState state = state(entry.stream());
		if (state.heldBack != null) {
			state.heldBack.add(new Pending(entry, frame));
		}
		else {
			deliverIfNew(state, entry, frame, sender);
		}
	}

	/**
	 * Puts a stream in recovery unless the connection already received live entries after
	 * the position, which a replay could then only deliver out of order.
	 * @return whether the recovery may go on
	 */
	synchronized boolean beginRecovery(StreamPosition position, Consumer<String> sender) {
		forgetDeparted(sender);
		StreamState state = state(position.stream());
		Cursor cursor = state.cursor;
		if (cursor != null
				&& (!cursor.epoch.equals(position.epoch()) || StreamEntry.compareIds(cursor.id, position.id()) > 0)) {
			return false;
		}
		state.recovering = true;
		state.holdBack();
		return true;
	}

	/**
	 * Writes the replay, the recovery frame and then the live entries held back
	 * meanwhile, unless the stream waits for a repair, which then writes them.
	 * @param replay the replayed entries with their frames (a {@code null} frame for an
	 * entry that excludes this user)
	 * @param position where the client stands after the replay
	 * @return whether the stream waits for a repair
	 */
	synchronized boolean finishRecovery(String stream, List<Map.Entry<StreamEntry, @Nullable String>> replay,
			StreamPosition position, String recoveryFrame, Consumer<String> sender) {
		StreamState state = state(stream);
		for (Map.Entry<StreamEntry, @Nullable String> item : replay) {
			deliverIfNew(state, item.getKey(), item.getValue(), sender);
		}
		Cursor cursor = state.cursor;
		if (cursor == null
				|| (cursor.epoch.equals(position.epoch()) && StreamEntry.compareIds(cursor.id, position.id()) < 0)) {
			state.cursor = new Cursor(position.epoch(), position.id());
		}
		sender.accept(recoveryFrame);
		state.recovering = false;
		return releaseUnlessRepairing(state, sender);
	}

	/**
	 * Ends a recovery that replayed nothing: writes the recovery frame, then the live
	 * entries held back meanwhile, unless the stream waits for a repair.
	 * @return whether the stream waits for a repair
	 */
	synchronized boolean abandonRecovery(String stream, String recoveryFrame, Consumer<String> sender) {
		StreamState state = state(stream);
		sender.accept(recoveryFrame);
		state.recovering = false;
		return releaseUnlessRepairing(state, sender);
	}

	/**
	 * Catches up with the gaps up to a count, then returns where each stream waiting for
	 * a repair stands. Streams in recovery are left to their recovery, which asks for a
	 * repair when it ends.
	 */
	synchronized List<RepairPoint> repairPoints(long gap, Consumer<String> sender) {
		forgetDeparted(sender);
		catchUp(gap);
		List<RepairPoint> points = new ArrayList<>();
		this.streams.forEach((stream, state) -> {
			if (state.repairFor != 0 && !state.recovering) {
				Cursor cursor = state.cursor;
				@Nullable StreamPosition position = (cursor != null) ? new StreamPosition(stream, cursor.epoch, cursor.id) : null;
				points.add(new RepairPoint(stream, position, state.repairFor));
			}
		});
		return points;
	}

	/**
	 * Ends the repair of a stream: writes what the stream held after the cursor, or the
	 * frame telling the client it was not recovered, then the live entries held back,
	 * unless a newer gap came meanwhile (its repair then writes them).
	 * @param entries what followed the cursor with their frames, or {@code null} when the
	 * stream could not be read after it
	 * @param failureFrame the frame to write when entries is {@code null}, or
	 * {@code null}
	 */
	synchronized void finishRepair(RepairPoint point, @Nullable List<Map.Entry<StreamEntry, @Nullable String>> entries,
			@Nullable String failureFrame, Consumer<String> sender) {
		StreamState state = state(point.stream());
		if (entries != null) {
			for (Map.Entry<StreamEntry, @Nullable String> item : entries) {
				deliverIfNew(state, item.getKey(), item.getValue(), sender);
			}
		}
		if (state.repairFor != point.gap()) {
			return;
		}
		if (entries == null && failureFrame != null) {
			sender.accept(failureFrame);
		}
		state.repairFor = 0;
		release(state, sender);
	}

	/**
	 * Keeps a room stream's position until the user joins the room; the stream stays in
	 * recovery meanwhile.
	 */
	void awaitMembership(StreamPosition position) {
		this.awaitingMembership.put(position.stream(), position);
	}

	/**
	 * Records that the user left a stream's room: the connection drops where it stands in
	 * the stream, so that no repair reads a stream the user may no longer read.
	 */
	void leftRoom(String stream) {
		this.awaitingMembership.remove(stream);
		this.departed.add(stream);
	}

	/** Records that the user joined a stream's room, again or for the first time. */
	void joinedRoom(String stream) {
		this.departed.remove(stream);
	}

	/**
	 * Returns and forgets the position waiting for the user to join a stream's room.
	 * @return the position, or {@code null}
	 */
	@Nullable StreamPosition takeAwaitingMembership(String stream) {
		return this.awaitingMembership.remove(stream);
	}

	// Caller holds the lock. A stream in recovery is dropped once the recovery ended; the
	// live entries held back for it are written first, in order.
	private void forgetDeparted(Consumer<String> sender) {
		for (String stream : this.departed) {
			StreamState state = this.streams.get(stream);
			if (state == null || !state.recovering) {
				if (state != null) {
					release(state, sender);
					this.streams.remove(stream);
				}
				this.departed.remove(stream);
			}
		}
	}

	// Caller holds the lock.
	private StreamState state(String stream) {
		return this.streams.computeIfAbsent(stream, (key) -> new StreamState());
	}

	// Caller holds the lock. Every stream the connection stands in waits for a repair of
	// the latest gap; a stream it never received from has no cursor to read after.
	private void catchUp(long gap) {
		if (gap <= this.seenGap) {
			return;
		}
		this.seenGap = gap;
		for (StreamState state : this.streams.values()) {
			if (state.cursor != null || state.heldBack != null) {
				state.repairFor = gap;
				state.holdBack();
			}
		}
	}

	// Caller holds the lock.
	private boolean releaseUnlessRepairing(StreamState state, Consumer<String> sender) {
		if (state.repairFor != 0) {
			return true;
		}
		release(state, sender);
		return false;
	}

	// Caller holds the lock.
	private void release(StreamState state, Consumer<String> sender) {
		List<Pending> heldBack = state.heldBack;
		state.heldBack = null;
		if (heldBack != null) {
			for (Pending pending : heldBack) {
				deliverIfNew(state, pending.entry, pending.frame, sender);
			}
		}
	}

	// Caller holds the lock.
	private static void deliverIfNew(StreamState state, StreamEntry entry, @Nullable String frame,
			Consumer<String> sender) {
		Cursor cursor = state.cursor;
		if (cursor != null && cursor.epoch.equals(entry.epoch())
				&& StreamEntry.compareIds(entry.id(), cursor.id) <= 0) {
			return;
		}
		if (frame != null) {
			sender.accept(frame);
		}
		state.cursor = new Cursor(entry.epoch(), entry.id());
	}

	/**
	 * Where a stream waiting for a repair stands.
	 *
	 * @param stream the stream
	 * @param cursor the last entry the connection got, or {@code null} when it has none
	 * to read after
	 * @param gap the gap the repair is for
	 */
	record RepairPoint(String stream, @Nullable StreamPosition cursor, long gap) {

	}

	/** A connection's state in one stream. Guarded by the connection. */
	private static final class StreamState {

		@Nullable Cursor cursor;

		// The live entries held back, or null while they are delivered at once.
		@Nullable List<Pending> heldBack;

		// Whether a recovery the client asked for is under way.
		boolean recovering;

		// The gap a repair must read the stream for, 0 for none.
		long repairFor;

		void holdBack() {
			if (this.heldBack == null) {
				this.heldBack = new ArrayList<>();
			}
		}

	}

	private record Cursor(String epoch, String id) {
	}

	private record Pending(StreamEntry entry, @Nullable String frame) {
	}

}
