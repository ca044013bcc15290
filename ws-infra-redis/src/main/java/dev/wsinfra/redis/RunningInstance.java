package dev.wsinfra.redis;

import java.util.concurrent.CompletableFuture;

import dev.wsinfra.redis.internal.LuaScripts;
import io.lettuce.core.AbstractRedisClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * One run of a manager, from {@code start} to {@code stop}: the Redis backend and
 * everything that works on it (the registry of local users, rooms and connections, sends,
 * persistent messages, stream delivery and recovery, room membership, connection
 * registration, the global queries, the inbound dispatch and the maintenance), each
 * created with the backend it uses.
 */
final class RunningInstance {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	final ManagerContext context;

	final RedisBackend backend;

	final PresenceEvents presenceEvents;

	final LocalRegistry registry;

	final LocalSends sends;

	final ClusterSends cluster;

	final ClusterMaintenance maintenance;

	final StreamDelivery streams;

	final Recoveries recoveries;

	final PersistentMessages persistent;

	final PresenceQueries queries;

	final RoomMembership rooms;

	final Registrations registrations;

	private RunningInstance(ManagerContext context, RedisBackend backend) {
		this.context = context;
		this.backend = backend;
		this.registry = new LocalRegistry(backend.keys, backend.subscriptions, this::recoverAfterJoin);
		this.sends = new LocalSends(context.local(), this.registry);
		this.cluster = new ClusterSends(context, backend, this.sends);
		this.presenceEvents = new PresenceEvents(context.instanceId(), context.hooks().presenceListeners,
				backend.events, this.cluster);
		this.maintenance = new ClusterMaintenance(context.options(), context.envelopes(), context.health(),
				this.presenceEvents, this.registry, backend, context.statistics());
		this.streams = new StreamDelivery(backend.keys, context.envelopes(), backend, this.registry, this.sends,
				context.health(), context.statistics(), context.settings().outboundQueueBytes(),
				this.maintenance::requestRepair);
		this.maintenance.deliverWith(this.streams);
		this.recoveries = new Recoveries(this.registry, this.streams, context.options().maxRecoveryPositions());
		this.persistent = new PersistentMessages(context, backend, this.cluster);
		this.queries = new PresenceQueries(context, backend.presence);
		this.rooms = new RoomMembership(context.options(), backend.keys, context.envelopes(), backend, context.health(),
				this.registry, this.maintenance, this.cluster);
		this.registrations = new Registrations(this);
		backend.listen(new Inbound(context.instanceId(), backend.keys, context.envelopes(), this.registry, this.sends,
				this.streams, this.rooms, context.statistics().received), this.maintenance, () -> {
					// As after a reconnection: a heartbeat at once, a resync and the
					// repair of what the gap swallowed.
					this.maintenance.pubSubDisconnected();
					this.maintenance.reconnected();
				});
	}

	// Runs off the joining thread, which may be the inbound one.
	private void recoverAfterJoin(LocalConnection connection, StreamPosition position) {
		this.backend.recoveries.execute(() -> this.streams.recover(connection, position));
	}

	/**
	 * Opens the backend, subscribes to the broadcast and acknowledgement channels and
	 * registers the instance, removing what an earlier run under the same id left.
	 * @throws IllegalStateException when Redis cannot be reached
	 */
	static RunningInstance start(ManagerContext context, AbstractRedisClient client) {
		RedisBackend backend = RedisBackend.open(client, context.jsonMapper(), context.options());
		RunningInstance run = new RunningInstance(context, backend);
		try {
			backend.gateway.load(LuaScripts.all());
			CompletableFuture<Void> broadcast = backend.subscribeBroadcasts();
			CompletableFuture<Void> acks = backend.subscriptions.acquire(backend.keys.ackChannel(context.instanceId()));
			backend.gateway.await(CompletableFuture.allOf(broadcast, acks), "subscribe");
			run.reportEarlierRun(backend.presence.start());
		}
		catch (DataAccessException ex) {
			backend.close();
			throw new IllegalStateException("Redis is not reachable: " + ex.getMessage(), ex);
		}
		context.health().watch(backend.subscriptions::restored);
		context.health().available();
		run.maintenance.start();
		return run;
	}

	private void reportEarlierRun(PresenceStore.Start start) {
		String instanceId = this.context.instanceId();
		if (start.wasAlive()) {
			logger.warn("Instance id " + instanceId + " was alive in Redis less than two heartbeats ago: an earlier"
					+ " run that stopped without cleanup, or another instance with the same id, which must not be");
		}
		if (start.removed() > 0) {
			logger.info("Instance " + instanceId + " removed " + start.removed() + " connection(s) an earlier run"
					+ " with the same id left in Redis; " + start.left().size() + " user(s) left");
		}
		this.presenceEvents.departed(start.left());
	}

	/**
	 * Removes the instance from Redis, unless Redis is known to be down, tells the rooms
	 * of the users that left with it, then closes the backend.
	 */
	void stop() {
		this.maintenance.stop();
		this.backend.scheduler.shutdownNow();
		RedisHealth health = this.context.health();
		String instanceId = this.context.instanceId();
		if (health.isAvailable()) {
			try {
				this.presenceEvents.departed(this.backend.presence.deregisterInstance());
			}
			catch (DataAccessException ex) {
				logger.warn("Could not remove instance " + instanceId + " from Redis; the survivors will within "
						+ this.context.options().presenceTtl() + ": " + ex.getMessage());
			}
		}
		else {
			// Known down: asking would only hold the shutdown for the command timeout.
			logger.warn("Redis unreachable since " + health.unavailableSince() + "; the survivors remove instance "
					+ instanceId + " within " + this.context.options().presenceTtl());
		}
		this.backend.finishEvents();
		this.cluster.stop();
		this.registry.close();
		this.backend.close();
	}

	/** Whether Redis answers; see {@link RedisHealth#probe}. */
	boolean isBackendAvailable() {
		return this.context.health().probe(this.backend.gateway);
	}

}
