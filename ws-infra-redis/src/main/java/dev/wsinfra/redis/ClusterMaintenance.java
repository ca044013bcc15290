package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.wsinfra.redis.PresenceStore.Registration;
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
final class ClusterMaintenance implements RedisBackend.Listener {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private static final int OUTBOX_LIMIT = 10_000;

	private static final long RECHECK_MILLIS = 100;

	private static final long RETRY_MILLIS = 250;

	private final String instanceId;

	private final long graceMillis;

	private final long heartbeatMillis;

	private final Envelopes envelopes;

	private final RedisHealth health;

	private final PresenceEvents events;

	private final LocalRegistry registry;

	private final RedisBackend backend;

	// Set once, right after construction: delivery and maintenance need each other.
	private @Nullable StreamDelivery delivery;

	// Room changes made while Redis was unreachable, replayed in order once it answers.
	private final ConcurrentLinkedQueue<RoomOperation> outbox = new ConcurrentLinkedQueue<>();

	private final AtomicLong dropped;

	// Dropped messages not reported in the log yet.
	private final AtomicLong droppedUnreported = new AtomicLong();

	private final AtomicBoolean repairRequested = new AtomicBoolean();

	private final AtomicBoolean repairScheduled = new AtomicBoolean();

	private final AtomicBoolean retryScheduled = new AtomicBoolean();

	// How soon a tick is tried again after Redis was found unavailable.
	private final AtomicLong retryDelay = new AtomicLong(RETRY_MILLIS);

	// Users whose rooms changed while they were read, to read again. Scheduler only.
	private final Set<String> recheck = new HashSet<>();

	// Scheduler only.
	private long recheckDelay = RECHECK_MILLIS;

	// Whether Redis forgot this instance or restarted since the last resync.
	// Scheduler only.
	private boolean redisForgot;

	private volatile boolean stopped;

	ClusterMaintenance(RedisConnectionManagerOptions options, Envelopes envelopes, RedisHealth health,
			PresenceEvents events, LocalRegistry registry, RedisBackend backend, Statistics statistics) {
		this.dropped = statistics.dropped;
		this.instanceId = options.instanceId();
		this.graceMillis = options.presenceGracePeriod().toMillis();
		this.heartbeatMillis = options.heartbeatInterval().toMillis();
		this.envelopes = envelopes;
		this.health = health;
		this.events = events;
		this.registry = registry;
		this.backend = backend;
	}

	void deliverWith(StreamDelivery delivery) {
		this.delivery = delivery;
	}

	/** Starts the heartbeat on the backend's scheduler. */
	void start() {
		this.health.whenLost(this::retrySoon);
		this.backend.scheduler.scheduleWithFixedDelay(this::tick, this.heartbeatMillis, this.heartbeatMillis,
				TimeUnit.MILLISECONDS);
	}

	void stop() {
		this.stopped = true;
	}

	private StreamDelivery delivery() {
		return Objects.requireNonNull(this.delivery, "delivery");
	}

	/**
	 * Waits for Redis to confirm a step; a step it does not confirm in time leaves Redis
	 * marked unavailable and possibly missing something, for the resync to put back.
	 */
	void awaitQuietly(CompletableFuture<?> future, String what) {
		try {
			this.backend.gateway.await(future, what);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			this.health.dirty();
		}
	}

	@Override
	public void disconnected(boolean pubSub) {
		if (!this.stopped) {
			this.health.unavailable(new IllegalStateException("connection to Redis lost"));
		}
		if (pubSub) {
			pubSubDisconnected();
		}
	}

	@Override
	public void reconnected() {
		this.health.dirty();
		this.backend.scheduler.execute(this::tick);
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
	@Override
	public void dropped(int queueLimit) {
		this.dropped.incrementAndGet();
		if (this.droppedUnreported.getAndIncrement() == 0) {
			logger.warn("Instance " + this.instanceId + " drops messages from Redis: more than " + queueLimit
					+ " wait for local delivery; its rooms and persistent streams are repaired from Redis");
		}
		delivery().openGap();
		requestRepair();
	}

	/**
	 * Records that the pub/sub connection dropped: messages published until it is back
	 * are lost, so it opens a gap; the resync that follows the reconnection repairs it.
	 */
	void pubSubDisconnected() {
		delivery().openGap();
		this.repairRequested.set(true);
	}

	/**
	 * Asks for a repair on the scheduler, soon.
	 */
	void requestRepair() {
		this.repairRequested.set(true);
		if (this.repairScheduled.compareAndSet(false, true)) {
			try {
				this.backend.scheduler.execute(this::repairIfRequested);
			}
			catch (RejectedExecutionException ex) {
				// Stopping.
			}
		}
	}

	private void repairIfRequested() {
		this.repairScheduled.set(false);
		// Unavailable or dirty: the resync once Redis answers repairs too.
		if (this.health.isAvailable() && !this.health.isDirty()) {
			try {
				repair(true);
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
	private void repair(boolean roomsFromRedis) {
		if (!this.repairRequested.getAndSet(false)) {
			return;
		}
		try {
			if (roomsFromRedis) {
				reconcileRooms();
			}
			long[] streams = delivery().repair();
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
	 * Makes the local rooms of every user held here those Redis holds.
	 */
	private void reconcileRooms() {
		this.recheck.clear();
		reconcileRooms(this.registry.userIds());
	}

	/**
	 * Makes the local rooms of users those Redis holds, reading them in one pipelined
	 * round trip; a user whose rooms changed while they were read is read again shortly,
	 * alone, waiting longer each time while that keeps happening.
	 */
	private void reconcileRooms(Set<String> userIds) {
		Map<String, Long> changes = new HashMap<>();
		Map<String, CompletableFuture<Set<String>>> rooms = new HashMap<>();
		for (String userId : userIds) {
			changes.put(userId, this.registry.changes(userId));
			rooms.put(userId, this.backend.presence.userRoomsAsync(userId));
		}
		Set<String> again = new HashSet<>();
		for (Map.Entry<String, CompletableFuture<Set<String>>> entry : rooms.entrySet()) {
			Set<String> userRooms = this.backend.gateway.await(entry.getValue(), "user rooms");
			if (!this.registry.reconcile(entry.getKey(), userRooms, changes.get(entry.getKey()))) {
				again.add(entry.getKey());
			}
		}
		if (again.isEmpty()) {
			this.recheckDelay = RECHECK_MILLIS;
			return;
		}
		// A registration under way, or a change just made, ends soon.
		this.recheck.addAll(again);
		long delay = this.recheckDelay;
		this.recheckDelay = Math.min(delay * 2, this.heartbeatMillis);
		try {
			this.backend.scheduler.schedule(this::recheckRooms, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping.
		}
	}

	private void recheckRooms() {
		Set<String> users = Set.copyOf(this.recheck);
		// Unavailable or dirty: the resync reads every user again.
		if (users.isEmpty() || !this.health.isAvailable() || this.health.isDirty()) {
			return;
		}
		this.recheck.removeAll(users);
		try {
			reconcileRooms(users);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			this.recheck.addAll(users);
		}
	}

	/**
	 * Removes a connection from Redis without waiting; a leave it causes is reported, a
	 * deferred one scheduled.
	 */
	void unregister(LocalConnection connection) {
		if (!this.health.isAvailable()) {
			this.health.dirty();
			return;
		}
		long sentAt = System.nanoTime();
		this.backend.presence.unregisterAsync(connection.id, connection.userId).whenComplete((result, failure) -> {
			if (failure != null) {
				this.health.failed(failure, sentAt);
				this.health.dirty();
			}
			else if (result.departure() != null) {
				this.events.departed(List.of(result.departure()));
			}
			else if (result.result() == 1) {
				scheduleLeaves();
			}
		});
	}

	/**
	 * One heartbeat: refresh the liveness, resync if Redis forgot or missed something,
	 * refresh presence, reap dead instances, finish due leaves.
	 */
	void tick() {
		if (this.stopped) {
			return;
		}
		boolean registered;
		try {
			// After a restart Redis may hold an older state than this instance: it
			// resyncs as if Redis had forgotten it, until a resync succeeded.
			if (this.backend.presence.heartbeat() != PresenceStore.Beat.REGISTERED) {
				this.redisForgot = true;
			}
			registered = !this.redisForgot;
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			retrySoon();
			return;
		}
		if (this.health.available()) {
			logger.info("Redis is reachable again; instance " + this.instanceId + " resynchronizes");
			this.health.dirty();
		}
		try {
			if (!registered || this.health.isDirty()) {
				resync(registered);
			}
			repair(true);
			if (this.backend.presence.refreshPresence(this.registry.userIds()) > 0) {
				// A presence key expired under us (a very late heartbeat): put it back
				// next time.
				this.health.dirty();
			}
			for (String instance : this.backend.presence.instances()) {
				if (!instance.equals(this.instanceId) && !this.backend.presence.isAlive(instance)) {
					List<PresenceStore.Departure> left = this.backend.presence.reap(instance);
					logger.info("Reaped instance " + instance + ", which stopped without cleanup; " + left.size()
							+ " user(s) left");
					this.events.departed(left);
				}
			}
			this.events.departed(this.backend.presence.finishLeaves());
			this.retryDelay.set(RETRY_MILLIS);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			retrySoon();
		}
		catch (RuntimeException ex) {
			logger.error("Redis heartbeat of instance " + this.instanceId + " failed", ex);
		}
	}

	/**
	 * Runs a tick soon after Redis was found unavailable, and again after a tick that
	 * still found it so, waiting twice as long each time up to the heartbeat interval: an
	 * instance is back within about a second of Redis (a shard failed over, a stall
	 * ended), not at its next heartbeat. Called from any thread.
	 */
	private void retrySoon() {
		if (this.stopped || !this.retryScheduled.compareAndSet(false, true)) {
			return;
		}
		long delay = this.retryDelay.get();
		try {
			this.backend.scheduler.schedule(() -> {
				this.retryScheduled.set(false);
				this.retryDelay.set(Math.min(delay * 2, this.heartbeatMillis));
				tick();
			}, delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopping.
		}
	}

	/**
	 * Makes Redis hold again what this instance holds: the subscriptions, the
	 * connections, the room changes made meanwhile and the users' rooms (adopting those
	 * added elsewhere).
	 * @param events whether to report joins and leaves found on the way; not after Redis
	 * forgot the instance, when every user would look new
	 */
	private void resync(boolean events) {
		this.health.clean();
		try {
			this.backend.gateway.await(this.backend.subscriptions.resubscribeAll(), "resubscribe");
			Map<String, String> inventory = this.backend.presence.inventory();
			Map<LocalConnection, CompletableFuture<Registration>> registrations = new HashMap<>();
			for (LocalConnection connection : this.registry.connections()) {
				registrations.put(connection, this.backend.presence.registerAsync(connection.id, connection.userId,
						this.backend.presence.entry(connection.connectedAt, connection.metadata), 0));
			}
			Set<String> joined = new LinkedHashSet<>();
			Set<String> held = new HashSet<>();
			List<PresenceStore.Departure> left = new ArrayList<>();
			for (Map.Entry<LocalConnection, CompletableFuture<Registration>> registration : registrations.entrySet()) {
				LocalConnection connection = registration.getKey();
				held.add(connection.id);
				Registration registered = this.backend.gateway.await(registration.getValue(), "connect");
				if (registered.overtaken() != null) {
					left.add(registered.overtaken());
				}
				if (registered.joined()) {
					joined.add(connection.userId);
				}
			}
			for (Map.Entry<String, String> stale : inventory.entrySet()) {
				if (!held.contains(stale.getKey())) {
					PresenceStore.Unregistration removed = this.backend.gateway
						.await(this.backend.presence.unregisterAsync(stale.getKey(), stale.getValue()), "disconnect");
					if (removed.departure() != null) {
						left.add(removed.departure());
					}
				}
			}
			replayOutbox();
			if (!events) {
				// Redis forgot this instance: put back the rooms of its users from here.
				for (LocalUser user : this.registry.users()) {
					for (String room : this.backend.presence.restoreRooms(user.userId,
							this.registry.rooms(user.userId))) {
						this.registry.change(user.userId, new LocalUser.RoomChange(room, true));
					}
				}
			}
			// Otherwise Redis holds the rooms, with the changes queued here replayed;
			// notices from other instances may have been missed meanwhile, so the repair
			// reads them.
			this.repairRequested.set(true);
			repair(events);
			this.redisForgot = false;
			// Connections closed while they were registered again.
			List<LocalConnection> current = this.registry.connections();
			for (LocalConnection connection : registrations.keySet()) {
				if (!current.contains(connection)) {
					unregister(connection);
				}
			}
			if (events) {
				// A user whose departure a registration overtook left before joining.
				this.events.departed(left);
				this.events.fire(PresenceEvent.Type.JOINED, List.copyOf(joined));
			}
			logger.info("Instance " + this.instanceId + " resynchronized " + registrations.size()
					+ " connection(s) with Redis");
		}
		catch (RuntimeException ex) {
			this.health.dirty();
			throw ex;
		}
	}

	private void replayOutbox() {
		RoomOperation operation;
		while ((operation = this.outbox.peek()) != null) {
			String control = this.envelopes.roomChange(this.instanceId, operation.room(), operation.join(), null);
			if (operation.join()) {
				this.backend.presence.joinRoom(operation.userId(), operation.room(), control);
			}
			else {
				this.backend.presence.leaveRoom(operation.userId(), operation.room(), control);
			}
			this.outbox.poll();
		}
	}

	private void scheduleLeaves() {
		try {
			this.backend.scheduler.schedule(() -> {
				try {
					this.events.departed(this.backend.presence.finishLeaves());
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
