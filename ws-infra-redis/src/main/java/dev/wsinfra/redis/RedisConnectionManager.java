package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.wsinfra.internal.LogValues;
import dev.wsinfra.internal.Ranges;
import dev.wsinfra.redis.PresenceStore.Registration;
import dev.wsinfra.redis.internal.Envelope;
import dev.wsinfra.redis.internal.Envelopes;
import dev.wsinfra.redis.internal.LuaScripts;
import dev.wsinfra.redis.internal.Payload;
import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.redis.internal.StreamEntry;
import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.ConnectionInfo;
import dev.wsinfra.server.ConnectionListener;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.RoomAccessDeniedException;
import dev.wsinfra.server.RoomAuthorizer;
import dev.wsinfra.server.SendListener;
import dev.wsinfra.server.TooManyConnectionsException;
import io.lettuce.core.AbstractRedisClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The {@link DistributedConnectionManager} on Redis: many instances behave as one.
 * <p>
 * <b>Delivery.</b> Each instance delivers to its own connections through an
 * {@link InMemoryConnectionManager} and publishes every send on a Redis channel
 * ({@code broadcast}, {@code room:<room>}, {@code user:<id>}); the other instances
 * deliver it to theirs and the sender's instance skips its own echo, so each target
 * connection gets a message once. An instance subscribes to a room's channel only while
 * it has a local member of the room, and to a user's channel only while it holds one of
 * the user's connections. {@link #disconnect(String, CloseStatus) disconnect(userId)}
 * closes the user's connections on every instance; {@code disconnect(userId, session)}
 * closes one session of this instance.
 * <p>
 * <b>Users, rooms and presence</b> are global and live in Redis: a user is online, and in
 * their rooms, until their last connection anywhere closes (plus the grace period, if one
 * is set). The per-user connection limit holds across the cluster. Each connection is
 * recorded with its metadata under the user ({@link #getUserPresence}), joins and leaves
 * are reported once in the cluster ({@link #onPresenceChange}), and an instance that dies
 * without cleanup is removed by the survivors within the presence TTL.
 * <p>
 * <b>Persistent messages</b> ({@link #broadcastPersistent},
 * {@link #broadcastToRoomPersistent}, {@link #sendToUserPersistent}) are appended to a
 * capped stream and published in one atomic step, and reach clients as
 * {@code {"type":"message","stream","position","id","data"}}, always in stream order;
 * they reach even the sender's own connections through Redis, so they have no order
 * relative to plain sends. A client that reconnects with its last {@link StreamPosition
 * positions} in the {@value StreamPosition#QUERY_PARAMETER} query parameter gets
 * everything it missed, in order and before any live message of that stream, then
 * {@code {"type":"recovery",...}}; see {@link #recover(WebSocketSession, Collection)}. A
 * room stream is recovered once the user is a member: at once if they still are (within
 * the grace period, or through another connection), otherwise when the application joins
 * them to the room again.
 * <p>
 * <b>Redis outages.</b> While Redis is unreachable sends reach local connections only and
 * membership changes are applied locally and queued; when Redis answers again the
 * instance resubscribes and re-registers its connections, users and rooms. Messages
 * published during the outage do not reach other instances, and pub/sub never stores
 * messages: use the persistent variants and recovery where a client must not miss
 * anything.
 * <p>
 * <b>Missed messages.</b> When this instance drops messages from Redis (more than
 * {@link RedisConnectionManagerOptions#inboundQueueLimit()} wait for local delivery; see
 * {@link #droppedMessageCount()}) or its pub/sub connection drops, it repairs what Redis
 * stores: the users' rooms are read again, and each connection's persistent streams are
 * read after its position, live entries being held back meanwhile, so the client still
 * gets every entry once and in order, or {@code {"type":"recovery","recovered":false}}
 * for a stream that cannot be read after its position any more. Plain messages it missed
 * are lost.
 * <p>
 * <b>Lifecycle.</b> {@link #start()} opens one command and one pub/sub connection on the
 * Lettuce client, loads the module's Lua scripts into Redis's script cache (they run with
 * {@code EVALSHA}, and are sent again whenever Redis lost them) and starts the heartbeat;
 * {@link #stop()} removes the instance from Redis (its users leave, after the grace
 * period) and closes them. As a Spring bean this follows the context's lifecycle and
 * stops before the connection factory. Sessions are not closed.
 * <p>
 * <b>Threads.</b> Every method is safe from any thread. {@code connect},
 * {@code joinRoom}, {@code leaveRoom}, the persistent sends, recovery and the global
 * queries wait for Redis, at most the command timeout each; the other sends never wait.
 * While Redis is known to be unreachable the global queries fail at once, and
 * {@link #isBackendAvailable()} answers at once.
 *
 * @since 0.1.0
 */
public final class RedisConnectionManager implements DistributedConnectionManager, SmartLifecycle, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final Supplier<AbstractRedisClient> clientSupplier;

	private final ConnectionManagerSettings settings;

	private final RedisConnectionManagerOptions options;

	private final RedisKeys keys;

	private final Envelopes envelopes;

	private final JsonMapper jsonMapper;

	private final InMemoryConnectionManager local;

	// Keyed by session id.
	private final Map<String, LocalConnection> connections = new ConcurrentHashMap<>();

	private final RedisHealth health;

	private final PresenceEvents presenceEvents;

	private final LocalMembership membership;

	private final StreamDelivery delivery;

	private final RoomJoinAcknowledgements joinAcknowledgements = new RoomJoinAcknowledgements();

	private final ClusterMaintenance maintenance;

	private final List<ConnectionListener> connectListeners = new CopyOnWriteArrayList<>();

	private final List<ConnectionListener> disconnectListeners = new CopyOnWriteArrayList<>();

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private final Object lifecycleLock = new Object();

	// Written under lifecycleLock.
	private volatile @Nullable RedisBackend backend;

	private volatile boolean stopped;

	/**
	 * Creates a manager on the Lettuce client of a Spring Data Redis connection factory,
	 * obtained when the manager starts.
	 * @param connectionFactory the connection factory
	 * @param settings queue, slow-consumer and per-user limit settings
	 * @param jsonMapper the mapper for messages that are neither text nor binary
	 * @param options the Redis options
	 */
	public RedisConnectionManager(LettuceConnectionFactory connectionFactory, ConnectionManagerSettings settings,
			JsonMapper jsonMapper, RedisConnectionManagerOptions options) {
		this(connectionFactory::getRequiredNativeClient, settings, jsonMapper, options);
	}

	/**
	 * Creates a manager on a Lettuce client.
	 * @param client the client, for a standalone or Sentinel-managed Redis
	 * @param settings queue, slow-consumer and per-user limit settings
	 * @param jsonMapper the mapper for messages that are neither text nor binary
	 * @param options the Redis options
	 */
	public RedisConnectionManager(AbstractRedisClient client, ConnectionManagerSettings settings, JsonMapper jsonMapper,
			RedisConnectionManagerOptions options) {
		this(() -> client, settings, jsonMapper, options);
	}

	private RedisConnectionManager(Supplier<AbstractRedisClient> clientSupplier, ConnectionManagerSettings settings,
			JsonMapper jsonMapper, RedisConnectionManagerOptions options) {
		this.clientSupplier = clientSupplier;
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
		this.options = Objects.requireNonNull(options, "options must not be null");
		this.keys = new RedisKeys(options.keyPrefix());
		this.envelopes = new Envelopes(jsonMapper);
		// Joins are authorized here, once; the local manager only mirrors what
		// was decided.
		this.local = new InMemoryConnectionManager(
				settings.toBuilder().roomAuthorizer(RoomAuthorizer.ALLOW_ALL).build(), jsonMapper);
		this.local.onDisconnect(this::localConnectionRemoved);
		this.health = new RedisHealth(options.instanceId());
		this.presenceEvents = new PresenceEvents(options.instanceId());
		this.membership = new LocalMembership(this.keys, this.local, this::recoverAfterJoin);
		this.delivery = new StreamDelivery(this.keys, this.envelopes, this.local, this.membership, this.health,
				this::requestRepair);
		this.maintenance = new ClusterMaintenance(options, this.envelopes, this.health, this.presenceEvents,
				this.membership, this.delivery, () -> List.copyOf(this.connections.values()), () -> this.backend);
	}

	/**
	 * Returns the Redis options.
	 * @return the options
	 */
	public RedisConnectionManagerOptions options() {
		return this.options;
	}

	/**
	 * Returns the connection manager settings.
	 * @return the settings
	 */
	public ConnectionManagerSettings settings() {
		return this.settings;
	}

	@Override
	public String instanceId() {
		return this.options.instanceId();
	}

	// ---- lifecycle

	/**
	 * Opens the Redis connections, subscribes to the broadcast channel, registers the
	 * instance and starts the heartbeat. What an earlier run under the same instance id
	 * left in Redis (it stopped without cleanup) is removed first, in the same step as
	 * the registration: its connections, the presence and rooms of users left without
	 * one, reported as leaves.
	 * @throws IllegalStateException when Redis cannot be reached, or after
	 * {@link #stop()}
	 */
	@Override
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.backend != null) {
				return;
			}
			if (this.stopped) {
				throw new IllegalStateException("A stopped RedisConnectionManager cannot be started again");
			}
			RedisBackend started = RedisBackend.open(this.clientSupplier.get(), this.keys, this.jsonMapper,
					this.options, new BackendCallbacks());
			try {
				started.gateway.load(LuaScripts.all());
				CompletableFuture<Void> broadcast = started.subscriptions.acquire(this.keys.broadcastChannel());
				CompletableFuture<Void> acks = started.subscriptions.acquire(this.keys.ackChannel(instanceId()));
				started.gateway.await(CompletableFuture.allOf(broadcast, acks), "subscribe");
				reportEarlierRun(started.presence.start(), started);
			}
			catch (DataAccessException ex) {
				started.close();
				throw new IllegalStateException("Redis is not reachable: " + ex.getMessage(), ex);
			}
			this.health.available();
			this.backend = started;
			long interval = this.options.heartbeatInterval().toMillis();
			started.scheduler.scheduleWithFixedDelay(this.maintenance::tick, interval, interval, TimeUnit.MILLISECONDS);
			logger.info("Redis connection manager " + instanceId() + " started with key prefix '"
					+ this.options.keyPrefix() + "'");
		}
	}

	private void reportEarlierRun(PresenceStore.Start start, RedisBackend backend) {
		if (start.wasAlive()) {
			logger.warn("Instance id " + instanceId() + " was alive in Redis less than two heartbeats ago: an earlier"
					+ " run that stopped without cleanup, or another instance with the same id, which must not be");
		}
		if (start.removed() > 0) {
			logger.info("Instance " + instanceId() + " removed " + start.removed() + " connection(s) an earlier run"
					+ " with the same id left in Redis; " + start.left().size() + " user(s) left");
		}
		this.presenceEvents.fire(PresenceEvent.Type.LEFT, start.left(), backend);
	}

	/**
	 * Removes this instance from Redis (its users leave, after the grace period), then
	 * closes the Redis connections and stops the manager's threads. Sessions stay open.
	 * While Redis is known to be unreachable the removal is skipped, so that a stop never
	 * waits for it; the survivors remove the instance within the presence TTL.
	 */
	@Override
	public void stop() {
		RedisBackend stopping;
		synchronized (this.lifecycleLock) {
			stopping = this.backend;
			this.backend = null;
			this.stopped = true;
		}
		if (stopping != null) {
			stopping.scheduler.shutdownNow();
			if (this.health.isAvailable()) {
				try {
					this.presenceEvents.fire(PresenceEvent.Type.LEFT, stopping.presence.deregisterInstance(), stopping);
				}
				catch (DataAccessException ex) {
					logger.warn("Could not remove instance " + instanceId() + " from Redis; the survivors will within "
							+ this.options.presenceTtl() + ": " + ex.getMessage());
				}
			}
			else {
				// Known down: asking would only hold the shutdown for the
				// command timeout.
				logger.warn("Redis unreachable since " + this.health.unavailableSince() + "; the survivors remove "
						+ "instance " + instanceId() + " within " + this.options.presenceTtl());
			}
			stopping.close();
		}
		this.local.close();
	}

	/**
	 * Same as {@link #stop()}.
	 */
	@Override
	public void close() {
		stop();
	}

	@Override
	public boolean isRunning() {
		return this.backend != null;
	}

	/**
	 * Returns 0, the phase of Spring Data Redis's connection factory; the manager depends
	 * on the factory, so it starts after and stops before it, and after the web server.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

	// ---- connections

	@Override
	public String connect(String userId, WebSocketSession session, Map<String, Object> metadata) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(session, "session must not be null");
		Objects.requireNonNull(metadata, "metadata must not be null");
		LocalConnection existing = this.connections.get(session.getId());
		if (existing != null) {
			return existing.id;
		}
		RedisBackend backend = requireBackend();
		RecoveryRequest request = RecoveryRequest.of(StreamPosition.fromQuery(session.getUri()),
				this.options.maxRecoveryPositions());
		List<StreamPosition> positions = request.positions();
		Set<String> recovering = new LinkedHashSet<>();
		positions.forEach((position) -> recovering.add(position.stream()));
		LocalConnection connection = new LocalConnection(UUID.randomUUID().toString(), userId, session, metadata,
				recovering, this.delivery::gap);
		LocalUser user = this.membership.retain(backend, userId);
		Registration registration = null;
		try {
			if (this.health.isAvailable()) {
				awaitQuietly(backend, user.subscribed, "subscribe");
			}
			registration = register(backend, connection);
			List<String> rooms = (registration != null) ? registration.rooms() : List.of();
			synchronized (user) {
				this.connections.put(session.getId(), connection);
				try {
					this.local.connect(userId, session, connection.metadata);
				}
				catch (RuntimeException ex) {
					this.connections.remove(session.getId(), connection);
					throw ex;
				}
				this.membership.registered(backend, user, connection, rooms);
			}
		}
		catch (RuntimeException ex) {
			this.membership.releasePending(backend, user);
			if (registration != null) {
				this.maintenance.unregister(backend, connection);
			}
			throw ex;
		}
		if (registration != null) {
			// Subscribed to the user's rooms before returning: a room message sent from
			// another instance once connect returned reaches this connection.
			awaitQuietly(backend, this.membership.roomSubscriptions(backend, userId), "subscribe");
		}
		notifyListeners(this.connectListeners, event(connection, null));
		if (registration != null && registration.joined()) {
			this.presenceEvents.fire(PresenceEvent.Type.JOINED, List.of(userId), backend);
		}
		// A room the user left with their last connection is recovered when they join
		// it again.
		for (StreamPosition position : this.membership.recoverableNow(user, connection, positions)) {
			this.delivery.recover(backend, connection, position);
		}
		answerUnrecovered(connection, request);
		return connection.id;
	}

	private @Nullable Registration register(RedisBackend backend, LocalConnection connection) {
		if (!this.health.isAvailable()) {
			this.health.dirty();
			return null;
		}
		int limit = this.settings.maxConnectionsPerUser();
		Registration registration;
		try {
			registration = backend.presence.register(connection.id, connection.userId,
					backend.presence.entry(connection.connectedAt, connection.metadata), limit);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			this.health.dirty();
			return null;
		}
		if (registration.refused()) {
			throw new TooManyConnectionsException(connection.userId, limit);
		}
		return registration;
	}

	/**
	 * {@inheritDoc} The session is one of this instance's: this does not reach other
	 * instances, and does nothing for a session another instance holds.
	 */
	@Override
	public void disconnect(String userId, WebSocketSession session, CloseStatus status) {
		try {
			this.local.disconnect(userId, session, status);
		}
		catch (RejectedExecutionException ex) {
			afterStop(ex);
		}
	}

	/**
	 * Removes every connection of a user on every instance, closing them with the given
	 * status after the messages already queued for them. This instance closes its own at
	 * once and publishes a {@code disconnect} command on the user's channel, which each
	 * instance holding a connection of the user carries out when it arrives, without this
	 * call waiting. Like any pub/sub message, the command reaches only connections open
	 * when it arrives (a connection opened meanwhile stays; to keep a user out, refuse
	 * them in the handshake too) and no other instance while Redis is unreachable.
	 * @param userId the user
	 * @param status the close status
	 */
	@Override
	public void disconnect(String userId, CloseStatus status) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(status, "status must not be null");
		try {
			this.local.disconnect(userId, status);
		}
		catch (RejectedExecutionException ex) {
			afterStop(ex);
			return;
		}
		publish(this.keys.userChannel(userId), this.envelopes.disconnect(instanceId(), status));
	}

	/**
	 * The container closes its sessions after the context stopped the manager: the
	 * connection is deregistered by then, only its close task found the threads gone, and
	 * the container closes the session itself.
	 */
	private void afterStop(RejectedExecutionException ex) {
		if (!this.stopped) {
			throw ex;
		}
		logger.debug("Disconnect after stop: the container closes the session", ex);
	}

	/**
	 * Cleans up after a connection the local manager removed, whatever the reason.
	 */
	private void localConnectionRemoved(ConnectionEvent event) {
		LocalConnection connection = this.connections.get(event.session().getId());
		if (connection == null || !this.connections.remove(event.session().getId(), connection)) {
			return;
		}
		RedisBackend backend = this.backend;
		this.membership.removed(backend, connection);
		if (backend != null) {
			this.maintenance.unregister(backend, connection);
		}
		notifyListeners(this.disconnectListeners, event(connection, event.closeStatus()));
	}

	// ---- rooms

	/**
	 * {@inheritDoc} Returns once every instance holding a connection of the user is
	 * subscribed to the room's channel, waiting at most the command timeout for them, so
	 * that a room message sent afterwards, from any instance, reaches all of the user's
	 * connections.
	 */
	@Override
	public boolean joinRoom(String userId, String room) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(room, "room must not be null");
		if (!this.settings.roomAuthorizer().mayJoin(userId, room)) {
			throw new RoomAccessDeniedException(userId, room);
		}
		RedisBackend backend = requireBackend();
		if (this.health.isAvailable()) {
			RoomJoinAcknowledgements.Pending acknowledgements = this.joinAcknowledgements.begin();
			try {
				PresenceStore.RoomJoin join = backend.presence.joinRoom(userId, room,
						this.envelopes.control(instanceId(), Envelope.JOIN, room, acknowledgements.id));
				if (join.result() < 0) {
					return false;
				}
				this.membership.change(backend, userId, new LocalUser.RoomChange(room, true));
				awaitQuietly(backend, backend.subscriptions.confirmation(this.keys.roomChannel(room)), "subscribe");
				if (join.result() == 1) {
					awaitAcknowledgements(acknowledgements, join.notified(), userId, room);
				}
				return join.result() == 1;
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
			finally {
				this.joinAcknowledgements.end(acknowledgements);
			}
		}
		return changeRoomLocallyOnly(backend, userId, room, true);
	}

	/**
	 * Waits, at most the command timeout, until every instance holding the user (this one
	 * included) is subscribed to the room's channel.
	 */
	private void awaitAcknowledgements(RoomJoinAcknowledgements.Pending acknowledgements, int expected, String userId,
			String room) {
		try {
			if (!acknowledgements.await(expected, this.options.commandTimeout())) {
				logger.info("Not every instance holding user " + LogValues.escape(userId)
						+ " acknowledged joining room " + LogValues.escape(room) + " within "
						+ this.options.commandTimeout() + "; they are subscribed once they catch up");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean leaveRoom(String userId, String room) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(room, "room must not be null");
		RedisBackend backend = requireBackend();
		if (this.health.isAvailable()) {
			try {
				long result = backend.presence.leaveRoom(userId, room,
						this.envelopes.control(instanceId(), Envelope.LEAVE, room));
				this.membership.change(backend, userId, new LocalUser.RoomChange(room, false));
				return result == 1;
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
		}
		return changeRoomLocallyOnly(backend, userId, room, false);
	}

	private boolean changeRoomLocallyOnly(RedisBackend backend, String userId, String room, boolean join) {
		if (this.membership.changeLocallyOnly(backend, userId, room, join)) {
			this.maintenance.queue(userId, room, join);
			return true;
		}
		return false;
	}

	// ---- sends

	@Override
	public boolean send(WebSocketSession session, Object message) {
		return this.local.send(session, message);
	}

	/**
	 * {@inheritDoc} The message also goes to the user's connections on the other
	 * instances, which the count leaves out: {@link #isUserOnline(String)} tells whether
	 * the user is connected anywhere.
	 */
	@Override
	public int sendToUser(String userId, Object message) {
		Objects.requireNonNull(userId, "userId must not be null");
		Payload payload = Payload.of(message, this.jsonMapper);
		int queued = this.local.sendToUser(userId, payload.toLocalMessage());
		publish(this.keys.userChannel(userId), this.envelopes.message(instanceId(), null, payload));
		return queued;
	}

	/**
	 * {@inheritDoc} The message also goes to the other instances, whose connections the
	 * count leaves out.
	 */
	@Override
	public int broadcast(Object message, @Nullable String excludeUser) {
		Payload payload = Payload.of(message, this.jsonMapper);
		int queued = this.local.broadcast(payload.toLocalMessage(), excludeUser);
		publish(this.keys.broadcastChannel(), this.envelopes.message(instanceId(), excludeUser, payload));
		return queued;
	}

	/**
	 * {@inheritDoc} The message also goes to the members on the other instances, whose
	 * connections the count leaves out.
	 */
	@Override
	public int broadcastToRoom(String room, Object message, @Nullable String excludeUser) {
		Objects.requireNonNull(room, "room must not be null");
		Payload payload = Payload.of(message, this.jsonMapper);
		int queued = this.local.broadcastToRoom(room, payload.toLocalMessage(), excludeUser);
		publish(this.keys.roomChannel(room), this.envelopes.message(instanceId(), excludeUser, payload));
		return queued;
	}

	private void publish(String channel, String payload) {
		RedisBackend backend = this.backend;
		if (backend == null || !this.health.isAvailable()) {
			return;
		}
		this.published.incrementAndGet();
		backend.gateway.async().publish(channel, payload).whenComplete((receivers, failure) -> {
			if (failure != null) {
				this.health.unavailable(failure);
			}
		});
	}

	// ---- persistent messages

	/**
	 * Sends a message to every connection and keeps it in the {@code broadcast} stream.
	 * @param message a JSON value or a string
	 * @return the message's position
	 * @throws DataAccessException when Redis cannot store it
	 */
	public StreamPosition broadcastPersistent(Object message) {
		return broadcastPersistent(message, StreamDelivery.BROADCAST_STREAM);
	}

	/**
	 * Sends a message to every connection and keeps it in a stream of its own.
	 * @param message a JSON value or a string
	 * @param streamKey the stream, which must not start with {@code room:} or
	 * {@code user:}
	 * @return the message's position
	 * @throws DataAccessException when Redis cannot store it
	 */
	public StreamPosition broadcastPersistent(Object message, String streamKey) {
		Objects.requireNonNull(streamKey, "streamKey must not be null");
		if (streamKey.isEmpty() || streamKey.startsWith(StreamDelivery.ROOM_STREAM_PREFIX)
				|| streamKey.startsWith(StreamDelivery.USER_STREAM_PREFIX)) {
			throw new IllegalArgumentException(
					"A broadcast stream key must not be empty nor start with room: or user:, was '" + streamKey + "'");
		}
		return appendAndPublish(streamKey, this.keys.broadcastChannel(), message, null);
	}

	/**
	 * Sends a message to every member of a room and keeps it in the room's stream,
	 * {@code room:<room>}.
	 * @param room the room
	 * @param message a JSON value or a string
	 * @return the message's position
	 * @throws DataAccessException when Redis cannot store it
	 */
	public StreamPosition broadcastToRoomPersistent(String room, Object message) {
		return broadcastToRoomPersistent(room, message, null);
	}

	/**
	 * Sends a message to every member of a room except one user and keeps it in the
	 * room's stream; the excluded user does not get it on recovery either.
	 * @param room the room
	 * @param message a JSON value or a string
	 * @param excludeUser the user to skip, or {@code null}
	 * @return the message's position
	 * @throws DataAccessException when Redis cannot store it
	 */
	public StreamPosition broadcastToRoomPersistent(String room, Object message, @Nullable String excludeUser) {
		Objects.requireNonNull(room, "room must not be null");
		return appendAndPublish(StreamDelivery.ROOM_STREAM_PREFIX + room, this.keys.roomChannel(room), message,
				excludeUser);
	}

	/**
	 * Sends a message to every connection of a user and keeps it in the user's stream,
	 * {@code user:<id>}.
	 * @param userId the user
	 * @param message a JSON value or a string
	 * @return the message's position
	 * @throws DataAccessException when Redis cannot store it
	 */
	public StreamPosition sendToUserPersistent(String userId, Object message) {
		Objects.requireNonNull(userId, "userId must not be null");
		return appendAndPublish(StreamDelivery.USER_STREAM_PREFIX + userId, this.keys.userChannel(userId), message,
				null);
	}

	private StreamPosition appendAndPublish(String stream, String channel, Object message,
			@Nullable String excludeUser) {
		String data = Payload.toStreamData(message, this.jsonMapper);
		RedisBackend backend = requireBackend();
		try {
			StreamEntry entry = backend.streams.append(stream, channel, data, excludeUser);
			this.published.incrementAndGet();
			return new StreamPosition(stream, entry.epoch(), entry.id());
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			throw ex;
		}
	}

	/**
	 * Returns entries of a stream after an id, oldest first.
	 * @param streamKey the stream, such as {@code broadcast} or {@code room:lobby}
	 * @param count the maximum number of entries
	 * @param sinceId the id to start after, exclusive; {@code 0} for the start
	 * @return the entries
	 * @throws DataAccessException when Redis cannot be read
	 */
	public List<StreamMessage> getMessageHistory(String streamKey, int count, String sinceId) {
		Ranges.requirePositive("count", count);
		List<StreamMessage> messages = new ArrayList<>();
		for (StreamEntry entry : requireBackend().streams.history(streamKey, count, sinceId)) {
			StreamPosition position = StreamDelivery.position(entry);
			if (position != null) {
				messages.add(new StreamMessage(entry.id(), position, this.envelopes.data(entry.data()),
						entry.excludeUser()));
			}
		}
		return messages;
	}

	/**
	 * Sends a user, on every instance, the entries of a stream after an id as
	 * {@code {"type":"replay","stream","position","id","data"}} frames, skipping those
	 * that excluded the user. Unlike {@link #recover recovery} this does not know what
	 * each connection already has, so a connection may get an entry twice.
	 * @param userId the user
	 * @param streamKey the stream
	 * @param sinceId the id to start after, exclusive; {@code 0} for the start
	 * @return the number of entries sent
	 * @throws DataAccessException when Redis cannot be read
	 */
	public int replayMessagesToUser(String userId, String streamKey, String sinceId) {
		int count = 0;
		for (StreamEntry entry : requireBackend().streams.history(streamKey, this.options.streamMaxLength(), sinceId)) {
			StreamPosition position = StreamDelivery.position(entry);
			if (position != null && !userId.equals(entry.excludeUser())) {
				sendToUser(userId, this.envelopes.streamFrame("replay", entry, position.token()));
				count++;
			}
		}
		return count;
	}

	// ---- recovery

	/**
	 * Recovers one stream for a connection, from the position the client presented.
	 * @param session the registered session
	 * @param position the position token
	 * @return the outcome, which the client also receives
	 * @see #recover(WebSocketSession, Collection)
	 */
	public RecoveryResult recover(WebSocketSession session, String position) {
		return recover(session, List.of(position)).get(0);
	}

	/**
	 * Recovers streams for a connection from the positions the client presented, for
	 * example in its first message. For each position the client receives every entry of
	 * the stream after it, in order, then
	 * {@code {"type":"recovery","stream","recovered":true,"replayed", "position"}}, then
	 * the live entries that arrived meanwhile, each once. Nothing is replayed and
	 * {@code "recovered":false} is sent when the stream no longer holds the position, its
	 * epoch changed, more than the stream's maximum length followed it, the replay would
	 * take more than half the connection's outbound byte budget, the user may not read it
	 * (a room stream of a room the user is not in, another user's stream), Redis cannot
	 * be reached, or a live entry of that stream already reached this connection after
	 * the position (it would arrive before the replay; positions in the query parameter,
	 * handled by {@code connect}, cannot run into that). At most
	 * {@link RedisConnectionManagerOptions#maxRecoveryPositions()} streams are read: a
	 * position for a further stream is answered {@code "recovered":false} at once, and a
	 * second position for a stream is ignored (no frame, a result that is not recovered).
	 * @param session the registered session
	 * @param positions the position tokens
	 * @return the outcome per position, in order
	 * @throws IllegalStateException when the session is not registered
	 */
	public List<RecoveryResult> recover(WebSocketSession session, Collection<String> positions) {
		LocalConnection connection = this.connections.get(session.getId());
		if (connection == null) {
			throw new IllegalStateException("Session " + session.getId() + " is not registered");
		}
		RedisBackend backend = requireBackend();
		RecoveryRequest request = RecoveryRequest.of(positions, this.options.maxRecoveryPositions());
		List<RecoveryResult> results = new ArrayList<>(positions.size());
		for (RecoveryRequest.Item item : request.items()) {
			StreamPosition position = item.position();
			results.add(switch (item.outcome()) {
				case RECOVER -> this.delivery.recover(backend, connection, Objects.requireNonNull(position));
				case MALFORMED -> this.delivery.malformed(connection);
				case OVER_LIMIT -> this.delivery.refuse(connection, Objects.requireNonNull(position).stream());
				case REPEATED -> new RecoveryResult(Objects.requireNonNull(position).stream(), false, 0, null);
			});
		}
		logLimited(connection, request);
		return results;
	}

	/**
	 * Answers the positions of a handshake that are not recovered: malformed ones, and
	 * those of streams past the maximum.
	 */
	private void answerUnrecovered(LocalConnection connection, RecoveryRequest request) {
		for (RecoveryRequest.Item item : request.itemsOf(RecoveryRequest.Outcome.MALFORMED)) {
			logger.debug("Malformed recovery position '" + LogValues.escape(item.token()) + "'");
			this.delivery.malformed(connection);
		}
		for (RecoveryRequest.Item item : request.itemsOf(RecoveryRequest.Outcome.OVER_LIMIT)) {
			this.delivery.refuse(connection, Objects.requireNonNull(item.position()).stream());
		}
		logLimited(connection, request);
	}

	private void logLimited(LocalConnection connection, RecoveryRequest request) {
		if (request.isLimited() && logger.isInfoEnabled()) {
			logger.info("Connection " + connection.id + " of user " + LogValues.escape(connection.userId)
					+ " presented positions for " + request.itemsOf(RecoveryRequest.Outcome.OVER_LIMIT).size()
					+ " stream(s) past the maximum of " + this.options.maxRecoveryPositions()
					+ ", answered recovered:false, and " + request.itemsOf(RecoveryRequest.Outcome.REPEATED).size()
					+ " repeated position(s), ignored");
		}
	}

	private void requestRepair() {
		this.maintenance.requestRepair();
	}

	// Runs off the joining thread, which may be the inbound one.
	private void recoverAfterJoin(RedisBackend backend, LocalConnection connection, StreamPosition position) {
		backend.recoveries.execute(() -> this.delivery.recover(backend, connection, position));
	}

	// ---- messages from Redis

	private void onMessage(String channel, String payload) {
		RedisKeys.ChannelTarget target = this.keys.parseChannel(channel);
		Envelope envelope = this.envelopes.read(payload);
		if (target == null || envelope == null) {
			logger.debug("Ignoring a message on " + LogValues.escape(channel) + " that is not ws-infra's");
			return;
		}
		StreamEntry entry = envelope.entry();
		if (entry != null) {
			// Persistent messages reach every instance through Redis, the sender's too,
			// so that each instance sees a stream's entries in stream order.
			this.received.incrementAndGet();
			this.delivery.deliver(target, entry, this.connections.values());
			return;
		}
		String ack = envelope.ack();
		if (target.kind() == RedisKeys.ChannelTarget.Kind.ACK) {
			if (ack != null) {
				this.joinAcknowledgements.acknowledged(ack);
			}
			return;
		}
		if (envelope.instance().equals(instanceId())) {
			if (ack != null) {
				// This instance's own join notice: the join applied it here already.
				this.joinAcknowledgements.acknowledged(ack);
			}
			return;
		}
		this.received.incrementAndGet();
		if (envelope.control() != null) {
			if (target.kind() == RedisKeys.ChannelTarget.Kind.USER) {
				applyControl(target.name(), envelope);
			}
			return;
		}
		Payload message = envelope.payload();
		if (message == null) {
			return;
		}
		switch (target.kind()) {
			case BROADCAST -> this.local.broadcast(message.toLocalMessage(), envelope.excludeUser());
			case ROOM -> this.local.broadcastToRoom(target.name(), message.toLocalMessage(), envelope.excludeUser());
			case USER -> this.local.sendToUser(target.name(), message.toLocalMessage());
		}
	}

	/**
	 * Carries out a command another instance sent on a user's channel.
	 */
	private void applyControl(String userId, Envelope envelope) {
		CloseStatus status = envelope.status();
		String room = envelope.room();
		if (status != null) {
			this.local.disconnect(userId, status);
			return;
		}
		RedisBackend backend = this.backend;
		if (room != null && backend != null) {
			this.membership.change(backend, userId,
					new LocalUser.RoomChange(room, Envelope.JOIN.equals(envelope.control())));
			String ack = envelope.ack();
			if (ack != null) {
				acknowledgeJoin(backend, envelope.instance(), room, ack);
			}
		}
	}

	/**
	 * Tells the instance that joined a user to a room that this one is subscribed to the
	 * room's channel, once Redis confirmed it.
	 */
	private void acknowledgeJoin(RedisBackend backend, String joiningInstance, String room, String ack) {
		backend.subscriptions.confirmation(this.keys.roomChannel(room)).whenComplete((subscribed, failure) -> {
			if (failure == null) {
				backend.gateway.async()
					.publish(this.keys.ackChannel(joiningInstance), this.envelopes.ack(instanceId(), ack));
			}
		});
	}

	// ---- queries

	/**
	 * Returns whether Redis answers: {@code false} at once while the manager knows Redis
	 * is unreachable (until the heartbeat or a reconnection gets through), else whether
	 * it answers a PING within the command timeout. Concurrent callers share one PING, so
	 * a Redis that stops answering costs them one command timeout, after which they get
	 * {@code false} at once.
	 */
	@Override
	public boolean isBackendAvailable() {
		RedisBackend backend = this.backend;
		return backend != null && this.health.probe(backend.gateway);
	}

	/**
	 * {@inheritDoc}
	 * @throws DataAccessException when Redis cannot be read
	 */
	@Override
	public Set<String> getOnlineUsers() {
		return query((backend) -> Set.copyOf(backend.presence.onlineUsers()));
	}

	/**
	 * {@inheritDoc}
	 * @throws DataAccessException when Redis cannot be read
	 */
	@Override
	public long getOnlineUserCount() {
		return query((backend) -> backend.presence.onlineUserCount());
	}

	/**
	 * {@inheritDoc} During a grace period a user with no connection left is still online.
	 * @throws DataAccessException when Redis cannot be read
	 */
	@Override
	public boolean isUserOnline(String userId) {
		return query((backend) -> backend.presence.isOnline(userId));
	}

	/**
	 * Returns a user's presence: every connection on every instance, with its metadata.
	 * @param userId the user
	 * @return the presence, or empty when the user is offline
	 * @throws DataAccessException when Redis cannot be read
	 */
	public Optional<UserPresence> getUserPresence(String userId) {
		return query((backend) -> {
			boolean online = backend.presence.isOnline(userId);
			List<PresenceConnection> connections = backend.presence.connections(userId);
			if (!online && connections.isEmpty()) {
				return Optional.empty();
			}
			return Optional.of(new UserPresence(userId, online, connections));
		});
	}

	/**
	 * {@inheritDoc}
	 * @throws DataAccessException when Redis cannot be read
	 */
	@Override
	public Set<String> getRoomUsersGlobal(String room) {
		return query((backend) -> Set.copyOf(backend.presence.roomMembers(room)));
	}

	/**
	 * {@inheritDoc}
	 * @throws DataAccessException when Redis cannot be read
	 */
	@Override
	public Set<String> getUserRooms(String userId) {
		return query((backend) -> Set.copyOf(backend.presence.userRooms(userId)));
	}

	/**
	 * Returns this instance's connections of a user; rooms are the user's global rooms.
	 */
	@Override
	public List<ConnectionInfo> getUserConnections(String userId) {
		List<LocalConnection> held = this.membership.connections(userId);
		Set<String> rooms = this.membership.rooms(userId);
		List<ConnectionInfo> infos = new ArrayList<>(held.size());
		for (LocalConnection connection : held) {
			infos.add(new ConnectionInfo(connection.id, userId, connection.connectedAt, connection.metadata, rooms));
		}
		return List.copyOf(infos);
	}

	/** Whether the user has a connection on this instance. */
	@Override
	public boolean isUserConnected(String userId) {
		return this.local.isUserConnected(userId);
	}

	/** The members of a room connected to this instance. */
	@Override
	public Set<String> getRoomUsers(String room) {
		return this.local.getRoomUsers(room);
	}

	/** The users connected to this instance. */
	@Override
	public Set<String> activeUsers() {
		return this.local.activeUsers();
	}

	/** The connections of this instance. */
	@Override
	public int connectionCount() {
		return this.local.connectionCount();
	}

	/** The rooms with a member connected to this instance. */
	@Override
	public int roomCount() {
		return this.local.roomCount();
	}

	/**
	 * Returns the channels this instance is subscribed to.
	 * @return the channel names
	 */
	public Set<String> subscribedChannels() {
		RedisBackend backend = this.backend;
		return (backend != null) ? backend.subscriptions.channels() : Set.of();
	}

	// ---- listeners and statistics

	@Override
	public void onConnect(ConnectionListener listener) {
		this.connectListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	@Override
	public void onDisconnect(ConnectionListener listener) {
		this.disconnectListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	/**
	 * {@inheritDoc} This instance reports what it queues on its own connections: its own
	 * sends, the messages other instances publish, the entries of persistent streams (as
	 * {@link dev.wsinfra.server.SendType#PERSISTENT}, on every instance holding a
	 * recipient, the sender's included) and replays
	 * ({@link dev.wsinfra.server.SendType#USER}). A send is counted once per connection
	 * across the cluster.
	 */
	@Override
	public void onSend(SendListener listener) {
		this.local.onSend(listener);
	}

	/**
	 * Adds a listener told when a user comes online anywhere in the cluster or goes
	 * offline everywhere; each transition is reported once in the cluster.
	 * @param listener the listener
	 */
	public void onPresenceChange(PresenceListener listener) {
		this.presenceEvents.add(listener);
	}

	/**
	 * Returns how many messages this instance published to Redis, persistent ones
	 * included.
	 * @return the count since start
	 */
	public long publishedMessageCount() {
		return this.published.get();
	}

	/**
	 * Returns how many messages this instance received from Redis and delivered or
	 * applied.
	 * @return the count since start
	 */
	public long receivedMessageCount() {
		return this.received.get();
	}

	/**
	 * Returns how many messages from Redis this instance dropped because more than
	 * {@link RedisConnectionManagerOptions#inboundQueueLimit()} waited for local
	 * delivery. Rooms and persistent streams are repaired after a drop; other messages
	 * are lost.
	 * @return the count since start
	 */
	public long droppedMessageCount() {
		return this.maintenance.droppedCount();
	}

	/**
	 * Returns how many recoveries replayed a stream.
	 * @return the count since start
	 */
	public long recoveryCount() {
		return this.delivery.recoveryCount();
	}

	/**
	 * Returns how many recoveries ended with {@code recovered: false}.
	 * @return the count since start
	 */
	public long failedRecoveryCount() {
		return this.delivery.failedRecoveryCount();
	}

	/**
	 * Returns how many messages recoveries replayed.
	 * @return the count since start
	 */
	public long replayedMessageCount() {
		return this.delivery.replayedCount();
	}

	/**
	 * Reads Redis for a global query: fails at once while Redis is known to be
	 * unreachable, and a read that times out or cannot reach Redis marks it so.
	 */
	private <T> T query(Function<RedisBackend, T> read) {
		RedisBackend backend = requireBackend();
		if (!this.health.isAvailable()) {
			throw new RedisConnectionFailureException("Redis unreachable since " + this.health.unavailableSince()
					+ "; instance " + instanceId() + " asks it again once the heartbeat gets through");
		}
		try {
			return read.apply(backend);
		}
		catch (QueryTimeoutException | RedisConnectionFailureException ex) {
			// An interrupted caller says nothing about Redis.
			if (!Thread.currentThread().isInterrupted()) {
				this.health.unavailable(ex);
			}
			throw ex;
		}
	}

	private RedisBackend requireBackend() {
		RedisBackend backend = this.backend;
		if (backend == null) {
			throw new IllegalStateException("RedisConnectionManager " + instanceId() + " is not running");
		}
		return backend;
	}

	private void awaitQuietly(RedisBackend backend, CompletableFuture<?> future, String what) {
		try {
			backend.gateway.await(future, what);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			this.health.dirty();
		}
	}

	private static ConnectionEvent event(LocalConnection connection, @Nullable CloseStatus status) {
		return new ConnectionEvent(connection.userId, connection.id, connection.session, connection.metadata, status);
	}

	private static void notifyListeners(List<ConnectionListener> listeners, ConnectionEvent event) {
		for (ConnectionListener listener : listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection listener " + listener + " failed for connection " + event.connectionId()
						+ " of user " + LogValues.escape(event.userId()), ex);
			}
		}
	}

	/** What the Redis connections report to the manager. */
	private final class BackendCallbacks implements RedisBackend.Callbacks {

		@Override
		public void message(String channel, String payload) {
			try {
				onMessage(channel, payload);
			}
			catch (RuntimeException ex) {
				logger.error("Delivering a message from " + LogValues.escape(channel) + " failed", ex);
			}
		}

		@Override
		public void dropped(int limit) {
			RedisConnectionManager.this.maintenance.dropped(limit);
		}

		@Override
		public void disconnected(boolean pubSub) {
			if (RedisConnectionManager.this.backend != null) {
				RedisConnectionManager.this.health.unavailable(new IllegalStateException("connection to Redis lost"));
			}
			if (pubSub) {
				RedisConnectionManager.this.maintenance.pubSubDisconnected();
			}
		}

		@Override
		public void reconnected(RedisBackend backend) {
			RedisConnectionManager.this.health.dirty();
			backend.scheduler.execute(RedisConnectionManager.this.maintenance::tick);
		}

	}

}
