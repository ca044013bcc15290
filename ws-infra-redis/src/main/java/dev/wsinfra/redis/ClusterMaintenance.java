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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.wsinfra.redis.PresenceStore.Registration;
import dev.wsinfra.redis.internal.Envelope;
import dev.wsinfra.redis.internal.Envelopes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Keeps Redis and this instance in step, on the backend's scheduler: the heartbeat that
 * keeps the instance alive, the resync after an outage or data loss, the repair after
 * this instance missed messages (rooms read again from Redis, persistent streams read
 * after each connection's cursor), the reaping of dead instances and the end of grace
 * periods. Also removes connections from Redis, since that may end a grace period or
 * report a leave.
 */
final class ClusterMaintenance {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private static final int OUTBOX_LIMIT = 10_000;

	private static final long RETRY_MILLIS = 100;

	private final String instanceId;

	private final long graceMillis;

	private final Envelopes envelopes;

	private final RedisHealth health;

	private final PresenceEvents events;

	private final LocalMembership membership;

	private final StreamDelivery delivery;

	private final Supplier<List<LocalConnection>> connections;

	private final Supplier<@Nullable RedisBackend> backend;

	// Room changes made while Redis was unreachable, replayed in order once it answers.
	private final ConcurrentLinkedQueue<RoomOperation> outbox = new ConcurrentLinkedQueue<>();

	private final AtomicLong dropped = new AtomicLong();

	// Dropped messages not reported in the log yet.
	private final AtomicLong droppedUnreported = new AtomicLong();

	private final AtomicBoolean repairRequested = new AtomicBoolean();

	private final AtomicBoolean repairScheduled = new AtomicBoolean();

	// Whether Redis forgot this instance or restarted since the last resync.
	// Scheduler only.
	private boolean redisForgot;

	ClusterMaintenance(RedisConnectionManagerOptions options, Envelopes envelopes, RedisHealth health,
			PresenceEvents events, LocalMembership membership, StreamDelivery delivery,
			Supplier<List<LocalConnection>> connections, Supplier<@Nullable RedisBackend> backend) {
		this.delivery = delivery;
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
	 * Records a message from Redis dropped because too many waited for local delivery: it
	 * opens a gap and asks for a repair. Runs on Lettuce's thread.
	 */
	void dropped(int queueLimit) {
		this.dropped.incrementAndGet();
		if (this.droppedUnreported.getAndIncrement() == 0) {
			logger.warn("Instance " + this.instanceId + " drops messages from Redis: more than " + queueLimit
					+ " wait for local delivery; its rooms and persistent streams are repaired from Redis");
		}
		this.delivery.openGap();
		requestRepair();
	}

	/** How many messages from Redis this instance dropped. */
	long droppedCount() {
		return this.dropped.get();
	}

	/**
	 * Records that the pub/sub connection dropped: messages published until it is back
	 * are lost, so it opens a gap; the resync that follows the reconnection repairs it.
	 */
	void pubSubDisconnected() {
		this.delivery.openGap();
		this.repairRequested.set(true);
	}

	/**
	 * Asks for a repair on the scheduler, soon.
	 */
	void requestRepair() {
		this.repairRequested.set(true);
		RedisBackend backend = this.backend.get();
		if (backend != null && this.repairScheduled.compareAndSet(false, true)) {
			try {
				backend.scheduler.execute(this::repairIfRequested);
			}
			catch (RejectedExecutionException ex) {
				// Stopping.
			}
		}
	}

	private void repairIfRequested() {
		this.repairScheduled.set(false);
		RedisBackend backend = this.backend.get();
		// Unavailable or dirty: the resync once Redis answers repairs too.
		if (backend != null && this.health.isAvailable() && !this.health.isDirty()) {
			try {
				repair(backend, true);
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
			catch (RuntimeException ex) {
				logger.error("Repair of instance " + this.instanceId + " failed", ex);
			}
		}
	}

	/**
	 * Repairs what this instance may have missed, if a repair was asked for: the users'
	 * rooms from Redis (unless Redis lost them, when the resync restored them from this
	 * instance instead), then the persistent streams.
	 */
	private void repair(RedisBackend backend, boolean roomsFromRedis) {
		if (!this.repairRequested.getAndSet(false)) {
			return;
		}
		try {
			if (roomsFromRedis) {
				reconcileRooms(backend);
			}
			long[] streams = this.delivery.repair(backend, this.connections.get());
			long dropped = this.droppedUnreported.getAndSet(0);
			if (dropped > 0 || streams[0] + streams[1] > 0) {
				logger.info("Instance " + this.instanceId + " repaired after " + dropped + " dropped message(s) ("
						+ this.dropped.get() + " in all) or a pub/sub reconnection: " + streams[0]
						+ " stream position(s) caught up, " + streams[1] + " could not be (told recovered:false)");
			}
		}
		catch (RuntimeException ex) {
			this.repairRequested.set(true);
			throw ex;
		}
	}

	/**
	 * Makes the local rooms of every user held here those Redis holds; a user whose rooms
	 * changed while they were read is read again on the next repair.
	 */
	private void reconcileRooms(RedisBackend backend) {
		Map<String, Long> changes = new HashMap<>();
		Map<String, CompletableFuture<Set<String>>> rooms = new HashMap<>();
		for (String userId : this.membership.userIds()) {
			changes.put(userId, this.membership.changes(userId));
			rooms.put(userId, backend.presence.userRoomsAsync(userId));
		}
		boolean again = false;
		for (Map.Entry<String, CompletableFuture<Set<String>>> entry : rooms.entrySet()) {
			Set<String> userRooms = backend.gateway.await(entry.getValue(), "user rooms");
			again |= !this.membership.reconcile(backend, entry.getKey(), userRooms, changes.get(entry.getKey()));
		}
		if (again) {
			// Shortly: a registration under way, or a change just made, ends soon.
			this.repairRequested.set(true);
			try {
				backend.scheduler.schedule(this::repairIfRequested, RETRY_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Stopping.
			}
		}
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
			// After a restart Redis may hold an older state than this instance: it
			// resyncs as if Redis had forgotten it, until a resync succeeded.
			if (backend.presence.heartbeat() != PresenceStore.Beat.REGISTERED) {
				this.redisForgot = true;
			}
			registered = !this.redisForgot;
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
			repair(backend, true);
			if (backend.presence.refreshPresence(this.membership.userIds()) > 0) {
				// A presence key expired under us (a very late heartbeat): put it back
				// next time.
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
	 * Makes Redis hold again what this instance holds: the subscriptions, the
	 * connections, the room changes made meanwhile and the users' rooms (adopting those
	 * added elsewhere).
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
			if (!events) {
				// Redis forgot this instance: put back the rooms of its users from here.
				for (LocalUser user : this.membership.users()) {
					for (String room : backend.presence.restoreRooms(user.userId, this.membership.rooms(user.userId))) {
						this.membership.change(backend, user.userId, new LocalUser.RoomChange(room, true));
					}
				}
			}
			// Otherwise Redis holds the rooms, with the changes queued here replayed;
			// notices from other instances may have been missed meanwhile, so the repair
			// reads them.
			this.repairRequested.set(true);
			repair(backend, events);
			this.redisForgot = false;
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
			String control = this.envelopes.control(this.instanceId, operation.join() ? Envelope.JOIN : Envelope.LEAVE,
					operation.room());
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
