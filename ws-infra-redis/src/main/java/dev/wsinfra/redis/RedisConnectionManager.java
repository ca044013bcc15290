package dev.wsinfra.redis;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import dev.wsinfra.internal.Ranges;
import dev.wsinfra.redis.internal.Payload;
import dev.wsinfra.server.ConnectionInfo;
import dev.wsinfra.server.ConnectionListener;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.RoomAccessDeniedException;
import dev.wsinfra.server.SendListener;
import io.lettuce.core.AbstractRedisClient;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The {@link DistributedConnectionManager} on Redis: many instances behave as one.
 * <p>
 * <b>Delivery.</b> Each instance writes to its own connections through an
 * {@link InMemoryConnectionManager} and publishes every send on the Redis channel of its
 * target (the broadcast, a room, a user; sharded on a Redis Cluster) for the others,
 * skipping its own echo, so each target connection gets a message once. An instance
 * subscribes to a room's channel while it has a local member, and to a user's channel
 * while it holds one of the user's connections.
 * <p>
 * <b>Users, rooms and presence</b> live in Redis: a user is online, and in their rooms,
 * until their last connection anywhere closes (plus the grace period, if one is set,
 * during which {@link #isUserOnline} still answers {@code true}). The per-user connection
 * limit holds across the cluster. Presence changes are reported once in the cluster
 * ({@link #onPresenceChange}); an instance that dies without cleanup is removed by the
 * survivors within the presence TTL. The global queries ({@link #getOnlineUsers},
 * {@link #getUserPresence}, ...) throw Spring's {@link DataAccessException} when Redis
 * cannot be read.
 * <p>
 * <b>Persistent messages</b> ({@link #broadcastPersistent},
 * {@link #broadcastToRoomPersistent}, {@link #sendToUserPersistent}) are appended to a
 * capped stream and published in one atomic step, and reach clients, the sender's own
 * included, as {@code {"type":"message","stream","position","id","data"}} in stream
 * order, with no order relative to plain sends. A client that reconnects with its last
 * {@link StreamPosition positions} in the {@value StreamPosition#QUERY_PARAMETER} query
 * parameter gets what it missed, in order and before any live entry of that stream, then
 * {@code {"type":"recovery",...}} (see {@link #recover(WebSocketSession, Collection)}); a
 * room stream once the user is a member of the room.
 * <p>
 * <b>Redis outages and missed messages.</b> While Redis is unreachable sends reach local
 * connections only and membership changes are applied locally and queued; when it answers
 * again the instance resubscribes and registers again its connections, users and rooms.
 * When this instance may have missed messages (its pub/sub connection dropped, or more
 * than {@link RedisConnectionManagerOptions#inboundQueueLimit()} waited for local
 * delivery; see {@link #droppedMessageCount()}) it reads the users' rooms again and each
 * connection's persistent streams after its position, so the client still gets every
 * entry once and in order, or {@code "recovered":false}. Plain messages missed are lost:
 * use the persistent variants where a client must not miss anything.
 * <p>
 * <b>Lifecycle.</b> {@link #start()} joins the cluster and {@link #stop()} leaves it; a
 * stopped manager does not start again. As a Spring bean it stops before the connection
 * factory.
 * <p>
 * <b>Threads.</b> Every method is safe from any thread. {@code connect},
 * {@code joinRoom}, {@code leaveRoom}, the persistent sends, recovery and the global
 * queries wait for Redis, at most the command timeout each, and fail at once while Redis
 * is known to be unreachable; the other sends never wait.
 *
 * @since 0.1.0
 */
public final class RedisConnectionManager implements DistributedConnectionManager, SmartLifecycle, AutoCloseable {

	private final ManagerContext context;

	private final ManagerLifecycle lifecycle;

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
	 * @param client the client: a {@code RedisClient} for a standalone or
	 * Sentinel-managed Redis, a {@code RedisClusterClient} for a Redis Cluster
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
		this.context = ManagerContext.of(settings, jsonMapper, options);
		this.lifecycle = new ManagerLifecycle(this.context, clientSupplier);
	}

	/**
	 * {@return the Redis options}
	 */
	public RedisConnectionManagerOptions options() {
		return this.context.options();
	}

	/**
	 * {@return the connection manager settings}
	 */
	public ConnectionManagerSettings settings() {
		return this.context.settings();
	}

	@Override
	public String instanceId() {
		return this.context.instanceId();
	}

	// ---- lifecycle

	/**
	 * Opens one command and one pub/sub connection on the Lettuce client, loads the
	 * module's Lua scripts (run with {@code EVALSHA}, sent again whenever Redis lost
	 * them), subscribes to the broadcast channels, registers the instance and starts the
	 * heartbeat. What an earlier run under the same instance id left in Redis (it stopped
	 * without cleanup) is removed before the manager serves: its connections, the
	 * presence and rooms of users left without one, reported as leaves.
	 * @throws IllegalStateException when Redis cannot be reached, or after
	 * {@link #stop()}
	 */
	@Override
	public void start() {
		this.lifecycle.start();
	}

	/**
	 * Removes this instance from Redis (its users leave, after the grace period), then
	 * closes the Redis connections and stops the manager's threads. Sessions stay open.
	 * While Redis is known to be unreachable the removal is skipped, so that a stop never
	 * waits for it; the survivors remove the instance within the presence TTL.
	 */
	@Override
	public void stop() {
		this.lifecycle.stop();
	}

	/** Same as {@link #stop()}. */
	@Override
	public void close() {
		stop();
	}

	@Override
	public boolean isRunning() {
		return this.lifecycle.isRunning();
	}

	/**
	 * Returns 0, the phase of Spring Data Redis's connection factory; the manager depends
	 * on the factory, so it starts after and stops before it, and after the web server.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

	// ---- connections and rooms

	@Override
	public String connect(String userId, WebSocketSession session, Map<String, Object> metadata) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(session, "session must not be null");
		Objects.requireNonNull(metadata, "metadata must not be null");
		return this.lifecycle.running().registrations.connect(userId, session, metadata);
	}

	/**
	 * {@inheritDoc} The session is one of this instance's: this does not reach other
	 * instances, and does nothing for a session another instance holds.
	 */
	@Override
	public void disconnect(String userId, WebSocketSession session, CloseStatus status) {
		this.lifecycle.disconnect((run) -> this.context.local().disconnect(userId, session, status));
	}

	/**
	 * {@inheritDoc} This instance closes its own at once and publishes a
	 * {@code disconnect} command on the user's channel, which each instance holding a
	 * connection of the user carries out when it arrives, without this call waiting. Like
	 * any pub/sub message, the command reaches only connections open when it arrives (a
	 * connection opened meanwhile stays; to keep a user out, refuse them in the handshake
	 * too) and no other instance while Redis is unreachable.
	 */
	@Override
	public void disconnect(String userId, CloseStatus status) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(status, "status must not be null");
		this.lifecycle.disconnect((run) -> run.cluster.disconnect(userId, status));
	}

	/**
	 * {@inheritDoc} Returns once every instance holding a connection of the user is
	 * subscribed to the room's channel, waiting at most the command timeout for them, so
	 * that a room message sent afterwards, from any instance, reaches all of the user's
	 * connections. With room notices on, it also returns only once Redis took the
	 * {@code user_joined} notice (waiting at most the command timeout), so that a user
	 * who joins the room afterwards, on any instance, is not told of it.
	 */
	@Override
	public boolean joinRoom(String userId, String room) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(room, "room must not be null");
		if (!settings().roomAuthorizer().mayJoin(userId, room)) {
			throw new RoomAccessDeniedException(userId, room);
		}
		return this.lifecycle.running().rooms.join(userId, room);
	}

	/**
	 * {@inheritDoc} On a Redis Cluster, returns once every instance holding a connection
	 * of the user applied the leave (waiting at most the command timeout), so that a room
	 * message sent afterwards reaches none of them. With room notices on, returns once
	 * Redis took the {@code user_left} notice (waiting at most the command timeout), so
	 * that a user who joins the room afterwards, on any instance, is not told of it.
	 */
	@Override
	public boolean leaveRoom(String userId, String room) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(room, "room must not be null");
		return this.lifecycle.running().rooms.leave(userId, room);
	}

	// ---- sends

	@Override
	public boolean send(WebSocketSession session, Object message) {
		return this.context.local().send(session, message);
	}

	/**
	 * {@inheritDoc} The other instances holding connections of the user get it on the
	 * user's channel.
	 */
	@Override
	public int sendToUser(String userId, Object message) {
		Objects.requireNonNull(userId, "userId must not be null");
		Payload payload = this.context.payload(message);
		return this.lifecycle.ifStarted((run) -> run.cluster.toUser(userId, payload), 0);
	}

	/**
	 * {@inheritDoc} The other instances get it on the broadcast channel; the count leaves
	 * their connections out.
	 */
	@Override
	public int broadcast(Object message, @Nullable String excludeUser) {
		Payload payload = this.context.payload(message);
		return this.lifecycle.ifStarted((run) -> run.cluster.broadcast(payload, excludeUser), 0);
	}

	/**
	 * {@inheritDoc} The other instances holding members get it on the room's channel; the
	 * count leaves their connections out.
	 */
	@Override
	public int broadcastToRoom(String room, Object message, @Nullable String excludeUser) {
		Objects.requireNonNull(room, "room must not be null");
		Payload payload = this.context.payload(message);
		return this.lifecycle.ifStarted((run) -> run.cluster.toRoom(room, payload, excludeUser), 0);
	}

	// ---- persistent messages

	/**
	 * Same as {@link #broadcastPersistent(Object, String)} on the {@code broadcast}
	 * stream.
	 * @param message a JSON value or a string
	 * @return the message's position
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
		return this.lifecycle.running().persistent.broadcast(message, streamKey);
	}

	/**
	 * Same as {@link #broadcastToRoomPersistent(String, Object, String)} with no user
	 * skipped.
	 * @param room the room
	 * @param message a JSON value or a string
	 * @return the message's position
	 */
	public StreamPosition broadcastToRoomPersistent(String room, Object message) {
		return broadcastToRoomPersistent(room, message, null);
	}

	/**
	 * Sends a message to every member of a room except one user and keeps it in the
	 * room's stream, {@code room:<room>}; the excluded user does not get it on recovery
	 * either.
	 * @param room the room
	 * @param message a JSON value or a string
	 * @param excludeUser the user to skip, or {@code null}
	 * @return the message's position
	 * @throws DataAccessException when Redis cannot store it
	 */
	public StreamPosition broadcastToRoomPersistent(String room, Object message, @Nullable String excludeUser) {
		Objects.requireNonNull(room, "room must not be null");
		return this.lifecycle.running().persistent.toRoom(room, message, excludeUser);
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
		return this.lifecycle.running().persistent.toUser(userId, message);
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
		return this.lifecycle.running().persistent.history(streamKey, count, sinceId);
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
		return this.lifecycle.running().persistent.replay(userId, streamKey, sinceId);
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
		return this.lifecycle.running().recoveries.recover(session, positions);
	}

	// ---- queries

	/**
	 * {@inheritDoc} Answers {@code false} at once while the manager knows Redis is
	 * unreachable (until the heartbeat or a reconnection gets through), else whether it
	 * answers a PING within the command timeout. Concurrent callers share one PING, so a
	 * Redis that stops answering costs them one command timeout, after which they get
	 * {@code false} at once.
	 */
	@Override
	public boolean isBackendAvailable() {
		return this.lifecycle.ifRunning(RunningInstance::isBackendAvailable, false);
	}

	@Override
	public Set<String> getOnlineUsers() {
		return this.lifecycle.running().queries.onlineUsers();
	}

	@Override
	public long getOnlineUserCount() {
		return this.lifecycle.running().queries.onlineUserCount();
	}

	@Override
	public boolean isUserOnline(String userId) {
		return this.lifecycle.running().queries.isOnline(userId);
	}

	/**
	 * Returns a user's presence: every connection on every instance, with its metadata.
	 * @param userId the user
	 * @return the presence, or empty when the user is offline
	 * @throws DataAccessException when Redis cannot be read
	 */
	public Optional<UserPresence> getUserPresence(String userId) {
		return this.lifecycle.running().queries.userPresence(userId);
	}

	@Override
	public Set<String> getRoomUsersGlobal(String room) {
		return this.lifecycle.running().queries.roomMembers(room);
	}

	@Override
	public Set<String> getUserRooms(String userId) {
		return this.lifecycle.running().queries.userRooms(userId);
	}

	/**
	 * {@inheritDoc} Only this instance's connections; their rooms are the user's rooms
	 * across the cluster.
	 */
	@Override
	public List<ConnectionInfo> getUserConnections(String userId) {
		return this.lifecycle.ifStarted((run) -> run.registry.connectionInfos(userId), List.of());
	}

	/** {@inheritDoc} On this instance; {@link #isUserOnline} answers for the cluster. */
	@Override
	public boolean isUserConnected(String userId) {
		return this.lifecycle.ifStarted((run) -> run.registry.isConnected(userId), false);
	}

	/**
	 * {@inheritDoc} Only the members connected to this instance;
	 * {@link #getRoomUsersGlobal} answers for the cluster.
	 */
	@Override
	public Set<String> getRoomUsers(String room) {
		return this.lifecycle.ifStarted((run) -> run.registry.roomUsers(room), Set.of());
	}

	/**
	 * {@inheritDoc} Only the users connected to this instance; {@link #getOnlineUsers}
	 * answers for the cluster.
	 */
	@Override
	public Set<String> activeUsers() {
		return this.lifecycle.ifStarted((run) -> run.registry.activeUsers(), Set.of());
	}

	/** {@inheritDoc} Only the connections of this instance. */
	@Override
	public int connectionCount() {
		return this.lifecycle.ifStarted((run) -> run.registry.connectionCount(), 0);
	}

	/** {@inheritDoc} Only the rooms with a member on this instance. */
	@Override
	public int roomCount() {
		return this.lifecycle.ifStarted((run) -> run.registry.roomCount(), 0);
	}

	/**
	 * {@return the channels this instance is subscribed to}
	 */
	public Set<String> subscribedChannels() {
		return this.lifecycle.ifRunning((run) -> run.backend.subscriptions.channels(), Set.of());
	}

	// ---- listeners and statistics

	@Override
	public void onConnect(ConnectionListener listener) {
		this.context.hooks().onConnect(listener);
	}

	@Override
	public void onDisconnect(ConnectionListener listener) {
		this.context.hooks().onDisconnect(listener);
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
		this.context.local().onSend(listener);
	}

	/**
	 * Adds a listener told when a user comes online anywhere in the cluster or goes
	 * offline everywhere; each transition is reported once in the cluster.
	 * @param listener the listener
	 */
	public void onPresenceChange(PresenceListener listener) {
		this.context.hooks().onPresenceChange(listener);
	}

	/**
	 * {@return how many messages this instance published to Redis, persistent ones
	 * included}
	 */
	public long publishedMessageCount() {
		return this.context.statistics().published.get();
	}

	/**
	 * {@return how many messages from Redis this instance delivered or applied}
	 */
	public long receivedMessageCount() {
		return this.context.statistics().received.get();
	}

	/**
	 * {@return how many messages from Redis this instance dropped because more than
	 * {@link RedisConnectionManagerOptions#inboundQueueLimit()} waited for local
	 * delivery} Rooms and persistent streams are repaired after a drop; other messages
	 * are lost.
	 */
	public long droppedMessageCount() {
		return this.context.statistics().dropped.get();
	}

	/**
	 * {@return how many recoveries replayed a stream}
	 */
	public long recoveryCount() {
		return this.context.statistics().recoveries.get();
	}

	/**
	 * {@return how many recoveries ended with {@code recovered: false}}
	 */
	public long failedRecoveryCount() {
		return this.context.statistics().failedRecoveries.get();
	}

	/**
	 * {@return how many messages recoveries replayed}
	 */
	public long replayedMessageCount() {
		return this.context.statistics().replayed.get();
	}

}
