package dev.wsinfra.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.wsinfra.redis.internal.Payload;
import dev.wsinfra.server.internal.RoomNotices;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.web.socket.CloseStatus;

/**
 * Sends of a running manager that reach the whole cluster: each is delivered to this
 * instance's connections, then published for the others, without waiting. While Redis is
 * known to be unreachable they reach local connections only. Room notices, when the
 * settings ask for them, go the same way, and hand back their publish for the caller to
 * wait for. Every publish of the module goes through here, except those the Lua scripts
 * make in the same step as the change they announce (room changes on the user's channel,
 * stream entries).
 */
final class ClusterSends {

	private static final CompletableFuture<?> NOTHING = CompletableFuture.completedFuture(null);

	private final ManagerContext context;

	private final RedisBackend backend;

	private final LocalSends local;

	private final boolean roomNotices;

	// The latest publish, which the ones before it precede on the command connection.
	private final AtomicReference<CompletableFuture<?>> latest = new AtomicReference<>(NOTHING);

	private volatile boolean stopped;

	ClusterSends(ManagerContext context, RedisBackend backend, LocalSends local) {
		this.context = context;
		this.backend = backend;
		this.local = local;
		this.roomNotices = context.settings().roomNotices();
	}

	int toUser(String userId, Payload payload) {
		int queued = this.local.toUser(userId, payload.toLocalMessage());
		publish(this.backend.keys.userChannel(userId), message(null, payload));
		return queued;
	}

	int broadcast(Payload payload, @Nullable String excludeUser) {
		int queued = this.local.broadcast(payload.toLocalMessage(), excludeUser);
		publish(this.backend.keys.broadcastChannel(), message(excludeUser, payload));
		return queued;
	}

	int toRoom(String room, Payload payload, @Nullable String excludeUser) {
		int queued = this.local.toRoom(room, payload.toLocalMessage(), excludeUser);
		publish(this.backend.keys.roomChannel(room), message(excludeUser, payload));
		return queued;
	}

	/** Closes a user's connections here and tells the other instances to. */
	void disconnect(String userId, CloseStatus status) {
		this.local.disconnect(userId, status);
		publish(this.backend.keys.userChannel(userId),
				this.context.envelopes().disconnect(this.context.instanceId(), status));
	}

	/**
	 * Tells a room that a user joined it, if the settings ask for room notices.
	 * @return the notice's publish, done once Redis took it
	 */
	CompletableFuture<?> joined(String userId, String room) {
		return notice(room, RoomNotices.joined(userId, room));
	}

	/**
	 * Tells a room that a user left it, if the settings ask for room notices.
	 * @return the notice's publish, done once Redis took it
	 */
	CompletableFuture<?> left(String userId, String room) {
		return notice(room, RoomNotices.left(userId, room));
	}

	/** Tells the rooms of users that left everywhere. */
	void departed(List<PresenceStore.Departure> departures) {
		for (PresenceStore.Departure departure : departures) {
			for (String room : departure.rooms()) {
				left(departure.userId(), room);
			}
		}
	}

	/**
	 * Tells the instance that changed a user's rooms that this one took the change in;
	 * not counted as a published message.
	 */
	void acknowledge(String changingInstance, String ack) {
		publish(this.backend.keys.ackChannel(changingInstance),
				this.context.envelopes().ack(this.context.instanceId(), ack), false);
	}

	/**
	 * Publishes without waiting; a failure marks Redis unavailable, unless the publish
	 * was sent before Redis last came back.
	 * @return the publish, done at once when nothing was published
	 */
	CompletableFuture<?> publish(String channel, String payload) {
		return publish(channel, payload, true);
	}

	private CompletableFuture<?> publish(String channel, String payload, boolean counted) {
		RedisHealth health = this.context.health();
		if (this.stopped || !health.isAvailable()) {
			return NOTHING;
		}
		if (counted) {
			this.context.statistics().published.incrementAndGet();
		}
		long sentAt = System.nanoTime();
		CompletableFuture<?> published = this.backend.publish(channel, payload).whenComplete((receivers, failure) -> {
			if (failure != null) {
				health.failed(failure, sentAt);
			}
		});
		this.latest.set(published);
		return published;
	}

	/**
	 * Waits, at most the command timeout, until what was published so far left, then
	 * publishes no more.
	 */
	void stop() {
		try {
			this.backend.gateway.await(this.latest.get(), "publish");
		}
		catch (DataAccessException ex) {
			// Lost with the connection; the survivors tell what they can.
		}
		this.stopped = true;
	}

	private CompletableFuture<?> notice(String room, Object notice) {
		if (!this.roomNotices) {
			return NOTHING;
		}
		Payload payload = Payload.of(notice, this.context.jsonMapper());
		this.local.toRoom(room, payload.toLocalMessage(), null);
		return publish(this.backend.keys.roomChannel(room), message(null, payload));
	}

	private String message(@Nullable String excludeUser, Payload payload) {
		return this.context.envelopes().message(this.context.instanceId(), excludeUser, payload);
	}

}
