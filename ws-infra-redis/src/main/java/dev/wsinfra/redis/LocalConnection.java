package dev.wsinfra.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.wsinfra.redis.internal.StreamEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * A connection held by this instance, with where it stands in each persistent stream.
 * <p>
 * Stream deliveries to the connection go through {@link #offer} and the recovery methods,
 * all synchronized on the connection: a stream in recovery buffers its live entries until
 * the replay is written, and every entry at or before the connection's cursor is skipped, so
 * the client sees each entry once and in stream order.
 */
final class LocalConnection {

	final String id;

	final String userId;

	final WebSocketSession session;

	final Instant connectedAt;

	final Map<String, Object> metadata;

	// Guarded by this.
	private final Map<String, Cursor> cursors = new HashMap<>();

	// Guarded by this. Streams in recovery, with the live entries that arrived meanwhile.
	private final Map<String, List<Pending>> recovering = new HashMap<>();

	// Room streams to recover once the user joins the room. Not guarded by this: it is used
	// under the user's monitor, which must never wait for a connection's (a delivery holding
	// a connection's monitor can reach the user's through a disconnect).
	private final Map<String, StreamPosition> awaitingMembership = new ConcurrentHashMap<>();

	LocalConnection(String id, String userId, WebSocketSession session, Map<String, Object> metadata,
			Set<String> recoveringStreams) {
		this.id = id;
		this.userId = userId;
		this.session = session;
		this.connectedAt = Instant.now();
		this.metadata = Map.copyOf(metadata);
		for (String stream : recoveringStreams) {
			this.recovering.put(stream, new ArrayList<>());
		}
	}

	/**
	 * Delivers a live stream entry, or buffers it while its stream is in recovery.
	 * @param frame the frame to send, or {@code null} when the entry excludes this user
	 */
	synchronized void offer(StreamEntry entry, @Nullable String frame, Consumer<String> sender) {
		List<Pending> buffer = this.recovering.get(entry.stream());
		if (buffer != null) {
			buffer.add(new Pending(entry, frame));
		}
		else {
			deliverIfNew(entry, frame, sender);
		}
	}

	/**
	 * Puts a stream in recovery unless the connection already received live entries after
	 * the position, which a replay could then only deliver out of order.
	 * @return whether the recovery may go on
	 */
	synchronized boolean beginRecovery(StreamPosition position) {
		Cursor cursor = this.cursors.get(position.stream());
		if (cursor != null && (!cursor.epoch.equals(position.epoch())
				|| StreamEntry.compareIds(cursor.id, position.id()) > 0)) {
			return false;
		}
		this.recovering.putIfAbsent(position.stream(), new ArrayList<>());
		return true;
	}

	/**
	 * Writes the replay, the recovery frame and then the live entries buffered meanwhile.
	 * @param replay the replayed entries with their frames (a {@code null} frame for an entry
	 * that excludes this user)
	 */
	synchronized void finishRecovery(String stream, List<Map.Entry<StreamEntry, @Nullable String>> replay,
			String recoveryFrame, Consumer<String> sender) {
		for (Map.Entry<StreamEntry, @Nullable String> item : replay) {
			deliverIfNew(item.getKey(), item.getValue(), sender);
		}
		sender.accept(recoveryFrame);
		flush(stream, sender);
	}

	/**
	 * Ends a recovery that replayed nothing: writes the recovery frame, then the live entries
	 * buffered meanwhile, if the stream was in recovery.
	 */
	synchronized void abandonRecovery(String stream, String recoveryFrame, Consumer<String> sender) {
		sender.accept(recoveryFrame);
		flush(stream, sender);
	}

	/**
	 * Keeps a room stream's position until the user joins the room; the stream stays in
	 * recovery meanwhile.
	 */
	void awaitMembership(StreamPosition position) {
		this.awaitingMembership.put(position.stream(), position);
	}

	/**
	 * Returns and forgets the position waiting for the user to join a stream's room.
	 * @return the position, or {@code null}
	 */
	@Nullable StreamPosition takeAwaitingMembership(String stream) {
		return this.awaitingMembership.remove(stream);
	}

	synchronized boolean isRecovering(String stream) {
		return this.recovering.containsKey(stream);
	}

	synchronized @Nullable String cursorId(String stream) {
		Cursor cursor = this.cursors.get(stream);
		return (cursor != null) ? cursor.id : null;
	}

	// Caller holds the lock.
	private void flush(String stream, Consumer<String> sender) {
		List<Pending> buffer = this.recovering.remove(stream);
		if (buffer != null) {
			for (Pending pending : buffer) {
				deliverIfNew(pending.entry, pending.frame, sender);
			}
		}
	}

	// Caller holds the lock.
	private void deliverIfNew(StreamEntry entry, @Nullable String frame, Consumer<String> sender) {
		Cursor cursor = this.cursors.get(entry.stream());
		if (cursor != null && cursor.epoch.equals(entry.epoch()) && StreamEntry.compareIds(entry.id(), cursor.id) <= 0) {
			return;
		}
		if (frame != null) {
			sender.accept(frame);
		}
		this.cursors.put(entry.stream(), new Cursor(entry.epoch(), entry.id()));
	}

	private record Cursor(String epoch, String id) {
	}

	private record Pending(StreamEntry entry, @Nullable String frame) {
	}

}
