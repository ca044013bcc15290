package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.wsinfra.redis.PresenceStore.Registration;
import dev.wsinfra.redis.internal.Envelope;
import dev.wsinfra.redis.internal.Envelopes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Keeps Redis in step with this instance, on the backend's scheduler: the heartbeat that
 * keeps the instance alive, the resync after an outage or data loss, the reaping of dead
 * instances and the end of grace periods. Also removes connections from Redis, since that
 * may end a grace period or report a leave.
 */
final class ClusterMaintenance {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private static final int OUTBOX_LIMIT = 10_000;

	private final String instanceId;

	private final long graceMillis;

	private final Envelopes envelopes;

	private final RedisHealth health;

	private final PresenceEvents events;

	private final LocalMembership membership;

	private final Supplier<List<LocalConnection>> connections;

	private final Supplier<@Nullable RedisBackend> backend;

	// Room changes made while Redis was unreachable, replayed in order once it answers.
	private final ConcurrentLinkedQueue<RoomOperation> outbox = new ConcurrentLinkedQueue<>();

	ClusterMaintenance(RedisConnectionManagerOptions options, Envelopes envelopes, RedisHealth health,
			PresenceEvents events, LocalMembership membership, Supplier<List<LocalConnection>> connections,
			Supplier<@Nullable RedisBackend> backend) {
		this.instanceId = options.instanceId();
		this.graceMillis = options.presenceGracePeriod().toMillis();
		this.envelopes = envelopes;
		this.health = health;
		this.events = events;
		this.membership = membership;
		this.connections = connections;
		this.backend = backend;
	}

	/**
	 * Queues a room change made while Redis could not take it.
	 */
	void queue(String userId, String room, boolean join) {
		if (this.outbox.size() >= OUTBOX_LIMIT) {
			this.outbox.poll();
			logger.warn("Redis has been unreachable for long: dropping the oldest queued room change");
		}
		this.outbox.add(new RoomOperation(userId, room, join));
		this.health.dirty();
	}

	/**
	 * Removes a connection from Redis without waiting; a leave it causes is reported, a
	 * deferred one scheduled.
	 */
	void unregister(RedisBackend backend, LocalConnection connection) {
		if (!this.health.isAvailable()) {
			this.health.dirty();
			return;
		}
		backend.presence.unregisterAsync(connection.id, connection.userId).whenComplete((result, failure) -> {
			if (failure != null) {
				this.health.unavailable(failure);
				this.health.dirty();
			}
			else if (result == 2) {
				this.events.fire(PresenceEvent.Type.LEFT, List.of(connection.userId), backend);
			}
			else if (result == 1) {
				scheduleLeaves(backend);
			}
		});
	}

	/**
	 * One heartbeat: refresh the liveness, resync if Redis forgot or missed something,
	 * refresh presence, reap dead instances, finish due leaves.
	 */
	void tick() {
		RedisBackend backend = this.backend.get();
		if (backend == null) {
			return;
		}
		boolean registered;
		try {
			registered = backend.presence.heartbeat();
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			return;
		}
		if (this.health.available()) {
			logger.info("Redis is reachable again; instance " + this.instanceId + " resynchronizes");
			this.health.dirty();
		}
		try {
			if (!registered || this.health.isDirty()) {
				resync(backend, registered);
			}
			if (backend.presence.refreshPresence(this.membership.userIds()) > 0) {
				// A presence key expired under us (a very late heartbeat): put it back next time.
				this.health.dirty();
			}
			for (String instance : backend.presence.instances()) {
				if (!instance.equals(this.instanceId) && !backend.presence.isAlive(instance)) {
					List<String> left = backend.presence.reap(instance);
					logger.info("Reaped instance " + instance + ", which stopped without cleanup; " + left.size()
							+ " user(s) left");
					this.events.fire(PresenceEvent.Type.LEFT, left, backend);
				}
			}
			this.events.fire(PresenceEvent.Type.LEFT, backend.presence.finishLeaves(), backend);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
		}
		catch (RuntimeException ex) {
			logger.error("Redis heartbeat of instance " + this.instanceId + " failed", ex);
		}
	}

	/**
	 * Makes Redis hold again what this instance holds: the subscriptions, the connections,
	 * the room changes made meanwhile and the users' rooms (adopting those added elsewhere).
	 * @param events whether to report joins and leaves found on the way; not after Redis
	 * forgot the instance, when every user would look new
	 */
	private void resync(RedisBackend backend, boolean events) {
		this.health.clean();
		try {
			backend.gateway.await(backend.subscriptions.resubscribeAll(), "resubscribe");
			Map<String, String> inventory = backend.presence.inventory();
			Map<LocalConnection, CompletableFuture<List<Object>>> registrations = new HashMap<>();
			for (LocalConnection connection : this.connections.get()) {
				registrations.put(connection, backend.presence.registerAsync(connection.id, connection.userId,
						backend.presence.entry(connection.connectedAt, connection.metadata), 0));
			}
			Set<String> joined = new LinkedHashSet<>();
			Set<String> held = new HashSet<>();
			for (Map.Entry<LocalConnection, CompletableFuture<List<Object>>> registration : registrations.entrySet()) {
				LocalConnection connection = registration.getKey();
				held.add(connection.id);
				if (Registration.of(backend.gateway.await(registration.getValue(), "connect")).joined()) {
					joined.add(connection.userId);
				}
			}
			List<String> left = new ArrayList<>();
			for (Map.Entry<String, String> stale : inventory.entrySet()) {
				if (!held.contains(stale.getKey()) && backend.gateway
					.await(backend.presence.unregisterAsync(stale.getKey(), stale.getValue()), "disconnect") == 2) {
					left.add(stale.getValue());
				}
			}
			replayOutbox(backend);
			for (LocalUser user : this.membership.users()) {
				for (String room : backend.presence.restoreRooms(user.userId, this.membership.rooms(user.userId))) {
					this.membership.change(backend, user.userId, new LocalUser.RoomChange(room, true));
				}
			}
			// Connections closed while they were registered again.
			List<LocalConnection> current = this.connections.get();
			for (LocalConnection connection : registrations.keySet()) {
				if (!current.contains(connection)) {
					unregister(backend, connection);
				}
			}
			if (events) {
				this.events.fire(PresenceEvent.Type.JOINED, List.copyOf(joined), backend);
				this.events.fire(PresenceEvent.Type.LEFT, left, backend);
			}
			logger.info("Instance " + this.instanceId + " resynchronized " + registrations.size()
					+ " connection(s) with Redis");
		}
		catch (RuntimeException ex) {
			this.health.dirty();
			throw ex;
		}
	}

	private void replayOutbox(RedisBackend backend) {
		RoomOperation operation;
		while ((operation = this.outbox.peek()) != null) {
			String control = this.envelopes.control(this.instanceId,
					operation.join() ? Envelope.JOIN : Envelope.LEAVE, operation.room());
			if (operation.join()) {
				backend.presence.joinRoom(operation.userId(), operation.room(), control);
			}
			else {
				backend.presence.leaveRoom(operation.userId(), operation.room(), control);
			}
			this.outbox.poll();
		}
	}

	private void scheduleLeaves(RedisBackend backend) {
		try {
			backend.scheduler.schedule(() -> {
				try {
					this.events.fire(PresenceEvent.Type.LEFT, backend.presence.finishLeaves(), backend);
				}
				catch (DataAccessException ex) {
					this.health.unavailable(ex);
				}
			}, this.graceMillis + 50, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping: the survivors finish the leave.
		}
	}

	/** A room change made while Redis was unreachable. */
	private record RoomOperation(String userId, String room, boolean join) {
	}

}
