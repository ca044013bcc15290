package dev.wsinfra.redis;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.wsinfra.redis.internal.Envelopes;
import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.redis.internal.StreamEntry;
import dev.wsinfra.server.InMemoryConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Delivers persistent stream entries to this instance's connections, live and on recovery,
 * through each connection's cursor so that every entry reaches a connection once and in
 * stream order.
 */
final class StreamDelivery {

	static final String BROADCAST_STREAM = "broadcast";

	static final String ROOM_STREAM_PREFIX = "room:";

	static final String USER_STREAM_PREFIX = "user:";

	private final RedisKeys keys;

	private final Envelopes envelopes;

	private final InMemoryConnectionManager local;

	private final LocalMembership membership;

	private final RedisHealth health;

	private final AtomicLong recoveries = new AtomicLong();

	private final AtomicLong failedRecoveries = new AtomicLong();

	private final AtomicLong replayed = new AtomicLong();

	StreamDelivery(RedisKeys keys, Envelopes envelopes, InMemoryConnectionManager local, LocalMembership membership,
			RedisHealth health) {
		this.keys = keys;
		this.envelopes = envelopes;
		this.local = local;
		this.membership = membership;
		this.health = health;
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
	 * Delivers a live entry that arrived on a channel to the connections it targets here.
	 */
	void deliver(RedisKeys.ChannelTarget target, StreamEntry entry, Collection<LocalConnection> all) {
		StreamPosition position = position(entry);
		if (position == null) {
			return;
		}
		String frame = this.envelopes.streamFrame("message", entry, position.token());
		List<LocalConnection> targets = new ArrayList<>();
		switch (target.kind()) {
			case BROADCAST -> targets.addAll(all);
			case ROOM -> {
				for (String member : this.local.getRoomUsers(target.name())) {
					targets.addAll(this.membership.connections(member));
				}
			}
			case USER -> targets.addAll(this.membership.connections(target.name()));
		}
		for (LocalConnection connection : targets) {
			connection.offer(entry, connection.userId.equals(entry.excludeUser()) ? null : frame, sender(connection));
		}
	}

	/**
	 * Recovers one stream for a connection: replays what followed the position, then the
	 * recovery frame, then the live entries that arrived meanwhile.
	 */
	RecoveryResult recover(RedisBackend backend, LocalConnection connection, StreamPosition position) {
		String stream = position.stream();
		Consumer<String> sender = sender(connection);
		List<StreamEntry> entries = null;
		if (this.health.isAvailable() && mayRead(connection, stream) && connection.beginRecovery(position)) {
			try {
				backend.gateway.await(backend.subscriptions.confirmation(liveChannel(connection, stream)),
						"subscribe");
				entries = backend.streams.readAfter(position);
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
		}
		if (entries == null) {
			this.failedRecoveries.incrementAndGet();
			connection.abandonRecovery(stream, this.envelopes.recoveryFrame(stream, false, 0, null), sender);
			return new RecoveryResult(stream, false, 0, null);
		}
		List<Map.Entry<StreamEntry, @Nullable String>> replay = new ArrayList<>(entries.size());
		int count = 0;
		StreamPosition last = position;
		for (StreamEntry entry : entries) {
			last = new StreamPosition(stream, entry.epoch(), entry.id());
			String frame = connection.userId.equals(entry.excludeUser()) ? null
					: this.envelopes.streamFrame("message", entry, last.token());
			if (frame != null) {
				count++;
			}
			replay.add(new AbstractMap.SimpleImmutableEntry<>(entry, frame));
		}
		this.recoveries.incrementAndGet();
		this.replayed.addAndGet(count);
		connection.finishRecovery(stream, replay, this.envelopes.recoveryFrame(stream, true, count, last.token()),
				sender);
		return new RecoveryResult(stream, true, count, last);
	}

	/**
	 * Answers a position token that does not parse.
	 */
	RecoveryResult malformed(LocalConnection connection) {
		this.failedRecoveries.incrementAndGet();
		this.local.send(connection.session, this.envelopes.recoveryFrame(null, false, 0, null));
		return new RecoveryResult(null, false, 0, null);
	}

	/**
	 * Answers a position that is not read because the request had too many.
	 */
	RecoveryResult refuse(LocalConnection connection, String stream) {
		this.failedRecoveries.incrementAndGet();
		this.local.send(connection.session, this.envelopes.recoveryFrame(stream, false, 0, null));
		return new RecoveryResult(stream, false, 0, null);
	}

	long recoveryCount() {
		return this.recoveries.get();
	}

	long failedRecoveryCount() {
		return this.failedRecoveries.get();
	}

	long replayedCount() {
		return this.replayed.get();
	}

	private boolean mayRead(LocalConnection connection, String stream) {
		String room = roomOf(stream);
		if (room != null) {
			return this.membership.isMember(connection.userId, room);
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
		return (frame) -> this.local.send(connection.session, frame);
	}

}
