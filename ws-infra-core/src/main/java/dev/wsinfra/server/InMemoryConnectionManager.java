package dev.wsinfra.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import dev.wsinfra.internal.LogThrottle;
import dev.wsinfra.internal.ReceivingThread;
import dev.wsinfra.server.internal.ConnectionListeners;
import dev.wsinfra.server.internal.LocalDelivery;
import dev.wsinfra.server.internal.RoomNotices;
import dev.wsinfra.server.internal.TypedMessage;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * The {@link ConnectionManager} for a single instance, holding everything in memory.
 * <p>
 * Membership changes (connect, disconnect, join, leave) are serialized by one lock; sends
 * read lock-free and only queue, so a broadcast costs one encoding plus one queue offer
 * per recipient on the calling thread. A pool of writer threads then writes the queues; a
 * connection whose peer stops reading is moved to asynchronous writes, so it holds up
 * neither the caller nor the other connections. The one exception is a reply to a session
 * sent on the thread that delivers that session's message, which that thread writes
 * itself, waiting at most a tenth of the write stall threshold (see
 * {@link ConnectionManager}).
 * <p>
 * {@link #close()} stops the library's threads; it does not close sessions.
 *
 * @since 0.1.0
 */
public final class InMemoryConnectionManager implements ConnectionManager, AutoCloseable {

	private static final Log logger = LogFactory.getLog(InMemoryConnectionManager.class);

	private static final CloseStatus CONNECTION_LOST = new CloseStatus(1006, "Connection lost");

	static {
		LocalDelivery.install(new LocalDeliveryAccess());
	}

	private final ConnectionManagerSettings settings;

	// How long the thread that received a peer's message may wait for the write of its
	// reply: a tenth of the stall threshold, short, because the container runs the
	// write's completion on another of its threads, which may all be busy.
	private final long receivingThreadWaitNanos;

	private final JsonMapper jsonMapper;

	private final ManagerExecutors executors;

	private final WriterPool writers;

	private final Object lock = new Object();

	// Guarded by lock for writes; read lock-free. Keyed by session id.
	private final Map<String, Connection> connections = new ConcurrentHashMap<>();

	// Guarded by lock for writes; read lock-free.
	private final Map<String, UserEntry> users = new ConcurrentHashMap<>();

	// Guarded by lock for writes; read lock-free. Only rooms with members.
	private final Map<String, RoomMembers> rooms = new ConcurrentHashMap<>();

	private final List<ConnectionListener> connectListeners = new CopyOnWriteArrayList<>();

	private final List<ConnectionListener> disconnectListeners = new CopyOnWriteArrayList<>();

	// Replaced under lock; an array, so that telling the listeners allocates nothing.
	private volatile SendListener[] sendListeners = new SendListener[0];

	private final LogThrottle sendListenerFailures = new LogThrottle(Duration.ofMinutes(1));

	private final AtomicLong droppedMessages = new AtomicLong();

	private final Connection.Owner owner = new ConnectionOwner();

	// Set by close(); sessions that close later are closed at once, without the writers.
	private volatile boolean closed;

	/**
	 * Creates a manager with the default settings and its own JSON mapper.
	 */
	public InMemoryConnectionManager() {
		this(ConnectionManagerSettings.defaults(), JsonMapper.builder().build());
	}

	/**
	 * Creates a manager.
	 * @param settings queue, slow-consumer and limit settings
	 * @param jsonMapper the mapper for messages that are neither text nor binary
	 */
	public InMemoryConnectionManager(ConnectionManagerSettings settings, JsonMapper jsonMapper) {
		this.settings = settings;
		this.jsonMapper = jsonMapper;
		this.executors = new ManagerExecutors();
		this.writers = new WriterPool(settings.writerThreads(), settings.writeStallThreshold());
		this.receivingThreadWaitNanos = settings.writeStallThreshold().toNanos() / 10;
		this.executors.scheduleAtFixedRate(this.writers::checkStalls, settings.writeStallThreshold().dividedBy(4));
	}

	/**
	 * Returns the settings this manager runs with.
	 * @return the settings
	 */
	public ConnectionManagerSettings settings() {
		return this.settings;
	}

	@Override
	public String connect(String userId, WebSocketSession session, Map<String, Object> metadata) {
		return connect(UUID.randomUUID().toString(), userId, session, metadata);
	}

	private String connect(String connectionId, String userId, WebSocketSession session, Map<String, Object> metadata) {
		Objects.requireNonNull(userId, "userId must not be null");
		Objects.requireNonNull(session, "session must not be null");
		Connection existing = this.connections.get(session.getId());
		if (existing != null) {
			return existing.id;
		}
		Connection connection = new Connection(connectionId, userId, session, metadata, transportFor(session),
				this.owner, this.settings);
		synchronized (this.lock) {
			existing = this.connections.get(session.getId());
			if (existing != null) {
				return existing.id;
			}
			UserEntry user = this.users.get(userId);
			int limit = this.settings.maxConnectionsPerUser();
			if (limit > 0 && user != null && user.connections.size() >= limit) {
				throw new TooManyConnectionsException(userId, limit);
			}
			if (user == null) {
				user = new UserEntry();
				this.users.put(userId, user);
			}
			user.connections = append(user.connections, connection);
			this.connections.put(session.getId(), connection);
			connectionsChanged(user);
		}
		ConnectionListeners.notify(this.connectListeners, event(connection, null), logger);
		return connection.id;
	}

	@Override
	public void disconnect(String userId, WebSocketSession session, CloseStatus status) {
		Connection connection = this.connections.get(session.getId());
		if (connection != null) {
			remove(connection, status);
		}
	}

	@Override
	public void disconnect(String userId, CloseStatus status) {
		UserEntry user = this.users.get(userId);
		if (user != null) {
			for (Connection connection : user.connections) {
				remove(connection, status);
			}
		}
	}

	private void remove(Connection connection, CloseStatus status) {
		if (deregister(connection, status)) {
			if (connection.session.isOpen() && !this.closed) {
				if (connection.closeAfterFlush(status)) {
					this.writers.submit(connection);
				}
				ScheduledFuture<?> timer = this.executors.schedule(() -> connection.closeNow(status),
						this.settings.closeTimeout());
				if (timer != null) {
					connection.armCloseTimer(timer);
				}
			}
			else {
				connection.closeNow(status);
			}
		}
	}

	@Override
	public boolean send(WebSocketSession session, Object message) {
		Connection connection = this.connections.get(session.getId());
		if (connection == null) {
			return false;
		}
		Delivery delivery = new Delivery(message, SendType.DIRECT, 1);
		boolean queued = delivery.to(connection);
		delivery.report();
		// A reply on the thread that received the peer's message leaves before that
		// thread goes on and the container reads the peer's next frame, which may be one
		// that makes it close the session at once.
		if (delivery.readyCount == 1 && ReceivingThread.isReceiving(session.getId())
				&& connection.drainOnCaller(this.receivingThreadWaitNanos)) {
			return queued;
		}
		delivery.handToWriters();
		return queued;
	}

	@Override
	public int sendToUser(String userId, Object message) {
		UserEntry user = this.users.get(userId);
		if (user == null) {
			return 0;
		}
		List<Connection> targets = user.connections;
		Delivery delivery = new Delivery(message, SendType.USER, targets.size());
		for (Connection connection : targets) {
			delivery.to(connection);
		}
		return delivery.submit();
	}

	@Override
	public int broadcast(Object message, @Nullable String excludeUser) {
		if (this.connections.isEmpty()) {
			return 0;
		}
		Delivery delivery = new Delivery(message, SendType.BROADCAST, this.connections.size());
		for (Connection connection : this.connections.values()) {
			if (excludeUser == null || !excludeUser.equals(connection.userId)) {
				delivery.to(connection);
			}
		}
		return delivery.submit();
	}

	@Override
	public int broadcastToRoom(String room, Object message, @Nullable String excludeUser) {
		RoomMembers members = this.rooms.get(room);
		if (members == null) {
			return 0;
		}
		Connection[] targets = members.connections(this::connectionsOf);
		Delivery delivery = new Delivery(message, SendType.ROOM, targets.length);
		for (Connection connection : targets) {
			if (excludeUser == null || !excludeUser.equals(connection.userId)) {
				delivery.to(connection);
			}
		}
		return delivery.submit();
	}

	/**
	 * Waits until the messages queued so far have been written to every connection that
	 * keeps up; connections whose writes stalled are not waited for. A producer that
	 * calls it after each send is paced by the network instead of filling queues; with
	 * other threads sending at the same time it returns once the writers catch up.
	 * Replies that a receiving thread writes itself are not waited for.
	 * @param timeout the longest wait
	 * @return {@code false} if the timeout passed first
	 */
	@Override
	public boolean flush(Duration timeout) {
		try {
			return this.writers.awaitIdle(timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean joinRoom(String userId, String room) {
		Objects.requireNonNull(room, "room must not be null");
		if (!this.settings.roomAuthorizer().mayJoin(userId, room)) {
			throw new RoomAccessDeniedException(userId, room);
		}
		synchronized (this.lock) {
			UserEntry user = this.users.get(userId);
			if (user == null) {
				return false;
			}
			if (!user.rooms.add(room)) {
				return false;
			}
			this.rooms.computeIfAbsent(room, (key) -> new RoomMembers()).add(userId);
		}
		if (this.settings.roomNotices()) {
			broadcastToRoom(room, RoomNotices.joined(userId, room));
		}
		return true;
	}

	@Override
	public boolean leaveRoom(String userId, String room) {
		synchronized (this.lock) {
			UserEntry user = this.users.get(userId);
			if (user == null || !user.rooms.remove(room)) {
				return false;
			}
			removeMember(room, userId);
		}
		if (this.settings.roomNotices()) {
			broadcastToRoom(room, RoomNotices.left(userId, room));
		}
		return true;
	}

	@Override
	public List<ConnectionInfo> getUserConnections(String userId) {
		UserEntry user = this.users.get(userId);
		if (user == null) {
			return List.of();
		}
		Set<String> userRooms = Set.copyOf(user.rooms);
		List<ConnectionInfo> infos = new ArrayList<>(user.connections.size());
		for (Connection connection : user.connections) {
			infos
				.add(new ConnectionInfo(connection.id, userId, connection.connectedAt, connection.metadata, userRooms));
		}
		return List.copyOf(infos);
	}

	@Override
	public boolean isUserConnected(String userId) {
		return this.users.containsKey(userId);
	}

	@Override
	public Set<String> getRoomUsers(String room) {
		RoomMembers members = this.rooms.get(room);
		return (members != null) ? members.userIds() : Set.of();
	}

	@Override
	public Set<String> activeUsers() {
		return Set.copyOf(this.users.keySet());
	}

	@Override
	public int connectionCount() {
		return this.connections.size();
	}

	@Override
	public int roomCount() {
		return this.rooms.size();
	}

	/**
	 * Returns the rooms of a connected user.
	 * @param userId the user
	 * @return the rooms, empty when the user is not connected
	 */
	public Set<String> getUserRooms(String userId) {
		UserEntry user = this.users.get(userId);
		return (user != null) ? Set.copyOf(user.rooms) : Set.of();
	}

	/**
	 * Returns how many messages were dropped under {@link SlowConsumerPolicy#DROP_OLDEST}
	 * since the manager started.
	 * @return the count
	 */
	public long droppedMessageCount() {
		return this.droppedMessages.get();
	}

	@Override
	public void onConnect(ConnectionListener listener) {
		this.connectListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	@Override
	public void onDisconnect(ConnectionListener listener) {
		this.disconnectListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	@Override
	public void onSend(SendListener listener) {
		Objects.requireNonNull(listener, "listener must not be null");
		synchronized (this.lock) {
			SendListener[] listeners = Arrays.copyOf(this.sendListeners, this.sendListeners.length + 1);
			listeners[listeners.length - 1] = listener;
			this.sendListeners = listeners;
		}
	}

	/**
	 * Stops the writer threads and the threads that close connections and time out close
	 * handshakes. Sessions stay open; disconnect them first for a graceful shutdown. A
	 * session disconnected after this is removed and closed at once, on the calling
	 * thread.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.writers.shutdown();
		this.executors.shutdown();
	}

	private void sent(SendType type, int connections) {
		for (SendListener listener : this.sendListeners) {
			try {
				listener.onSend(type, connections);
			}
			catch (RuntimeException ex) {
				sendListenerFailed(listener, ex);
			}
		}
	}

	// A listener that fails on every send would flood the log at WARN.
	private void sendListenerFailed(SendListener listener, RuntimeException ex) {
		this.sendListenerFailures.warn(logger, () -> "Send listener " + listener + " failed", ex);
	}

	/**
	 * One message on its way to several connections: queues it on each, tells the send
	 * listeners once, and hands the connections that were idle to the writers in batches
	 * of up to {@value #READY_CHUNK}, each as soon as it is full, so that a send to many
	 * connections is written while it is still being queued.
	 */
	private final class Delivery {

		// How many idle connections a send hands to the writers at a time.
		private static final int READY_CHUNK = 256;

		private final Connection.Queued queued;

		// Null for a ping, which is not reported.
		private final @Nullable SendType type;

		private Connection[] ready;

		private int readyCount;

		private int queuedCount;

		Delivery(Object message, SendType type, int expectedRecipients) {
			Objects.requireNonNull(message, "message must not be null");
			if (message instanceof TypedMessage typed) {
				message = typed.message();
				type = typed.type();
			}
			OutboundMessage outbound = OutboundMessage.of(message, InMemoryConnectionManager.this.jsonMapper);
			this.queued = Connection.Queued.of(outbound, System.nanoTime());
			this.type = outbound.isPing() ? null : type;
			this.ready = new Connection[Math.max(1, Math.min(expectedRecipients, READY_CHUNK))];
		}

		/**
		 * Queues the message on a connection.
		 * @return whether it was queued
		 */
		boolean to(Connection connection) {
			if (InMemoryConnectionManager.this.closed) {
				// No writer runs any more: a queued message would never be written.
				return false;
			}
			if (!connection.session.isOpen()) {
				if (deregister(connection, CONNECTION_LOST)) {
					connection.closeNow(CONNECTION_LOST);
				}
				return false;
			}
			int result = connection.offer(this.queued);
			if (result != Connection.REJECTED) {
				this.queuedCount++;
			}
			if (result == Connection.READY) {
				if (this.readyCount == READY_CHUNK) {
					// The writers start on the first connections while the rest are
					// queued.
					handToWriters();
					this.ready = new Connection[READY_CHUNK];
					this.readyCount = 0;
				}
				else if (this.readyCount == this.ready.length) {
					this.ready = Arrays.copyOf(this.ready, Math.min(this.readyCount * 2, READY_CHUNK));
				}
				this.ready[this.readyCount++] = connection;
			}
			return result != Connection.REJECTED;
		}

		/**
		 * Tells the send listeners, then hands the connections that were idle to the
		 * writers.
		 * @return the number of connections the message was queued to
		 */
		int submit() {
			report();
			handToWriters();
			return this.queuedCount;
		}

		void report() {
			SendType type = this.type;
			if (this.queuedCount > 0 && type != null) {
				sent(type, this.queuedCount);
			}
		}

		void handToWriters() {
			InMemoryConnectionManager.this.writers.submit(this.ready, this.readyCount);
		}

	}

	/** What the Redis module reaches through {@link LocalDelivery}. */
	private static final class LocalDeliveryAccess implements LocalDelivery.Access {

		@Override
		public String connect(InMemoryConnectionManager manager, String connectionId, String userId,
				WebSocketSession session, Map<String, Object> metadata) {
			return manager.connect(connectionId, userId, session, metadata);
		}

		@Override
		public LocalDelivery.Batch batch(InMemoryConnectionManager manager, Object message, SendType type,
				int expectedRecipients) {
			Delivery delivery = manager.new Delivery(message, type, expectedRecipients);
			return new LocalDelivery.Batch() {

				@Override
				public boolean to(WebSocketSession session) {
					Connection connection = manager.connections.get(session.getId());
					return connection != null && delivery.to(connection);
				}

				@Override
				public int submit() {
					return delivery.submit();
				}

			};
		}

	}

	/**
	 * Removes a connection from every structure and tells the disconnect listeners, once.
	 * @return whether this call removed it
	 */
	private boolean deregister(Connection connection, CloseStatus status) {
		Set<String> left = Set.of();
		synchronized (this.lock) {
			if (!this.connections.remove(connection.session.getId(), connection)) {
				return false;
			}
			UserEntry user = this.users.get(connection.userId);
			if (user != null) {
				user.connections = without(user.connections, connection);
				if (user.connections.isEmpty()) {
					this.users.remove(connection.userId);
					for (String room : user.rooms) {
						removeMember(room, connection.userId);
					}
					left = user.rooms;
				}
				else {
					connectionsChanged(user);
				}
			}
		}
		ConnectionListeners.notify(this.disconnectListeners, event(connection, status), logger);
		if (this.settings.roomNotices() && !this.closed) {
			for (String room : left) {
				broadcastToRoom(room, RoomNotices.left(connection.userId, room));
			}
		}
		return true;
	}

	// Caller holds lock.
	private void removeMember(String room, String userId) {
		RoomMembers members = this.rooms.get(room);
		if (members != null && members.remove(userId) && members.isEmpty()) {
			this.rooms.remove(room);
		}
	}

	// Caller holds lock, and changed the user's connections.
	private void connectionsChanged(UserEntry user) {
		for (String room : user.rooms) {
			RoomMembers members = this.rooms.get(room);
			if (members != null) {
				members.changed();
			}
		}
	}

	private List<Connection> connectionsOf(String userId) {
		UserEntry user = this.users.get(userId);
		return (user != null) ? user.connections : List.of();
	}

	private SessionTransport transportFor(WebSocketSession session) {
		WebSocketSession target = WebSocketSessionDecorator.unwrap(session);
		if (target instanceof NativeWebSocketSession nativeSession) {
			Session jakartaSession = nativeSession.getNativeSession(Session.class);
			if (jakartaSession != null) {
				return new JakartaSessionTransport(session, jakartaSession, this.settings.closeTimeout());
			}
		}
		return new SpringSessionTransport(session);
	}

	private static ConnectionEvent event(Connection connection, @Nullable CloseStatus status) {
		return new ConnectionEvent(connection.userId, connection.id, connection.session, connection.metadata, status);
	}

	private static List<Connection> append(List<Connection> list, Connection connection) {
		List<Connection> copy = new ArrayList<>(list.size() + 1);
		copy.addAll(list);
		copy.add(connection);
		return List.copyOf(copy);
	}

	private static List<Connection> without(List<Connection> list, Connection connection) {
		List<Connection> copy = new ArrayList<>(list);
		copy.remove(connection);
		return List.copyOf(copy);
	}

	/** A connected user: their connections and rooms. */
	private static final class UserEntry {

		// Immutable, replaced under lock.
		volatile List<Connection> connections = List.of();

		// Written under lock.
		final Set<String> rooms = ConcurrentHashMap.newKeySet();

	}

	private final class ConnectionOwner implements Connection.Owner {

		@Override
		public void slowConsumer(Connection connection, Connection.Overflow overflow) {
			if (deregister(connection, CloseStatuses.SLOW_CONSUMER)) {
				logger.warn("Closing " + connection.describe() + " with 1013: " + describe(overflow));
			}
			connection.closeNow(CloseStatuses.SLOW_CONSUMER);
		}

		private String describe(Connection.Overflow overflow) {
			ConnectionManagerSettings settings = InMemoryConnectionManager.this.settings;
			return switch (overflow) {
				case MESSAGES -> "its outbound queue exceeded " + settings.outboundQueueLimit() + " messages";
				case BYTES -> "its outbound queue exceeded " + settings.outboundQueueBytes() + " bytes";
				case DELAY -> "a message waited in its outbound queue longer than " + settings.outboundMaxDelay();
				case WRITE_TIMEOUT -> "it took no message within the write timeout of " + settings.closeTimeout();
			};
		}

		@Override
		public void messageDropped(Connection connection) {
			InMemoryConnectionManager.this.droppedMessages.incrementAndGet();
		}

		@Override
		public void connectionLost(Connection connection) {
			deregister(connection, CONNECTION_LOST);
		}

		@Override
		public void execute(Runnable task) {
			InMemoryConnectionManager.this.executors.closes().execute(task);
		}

	}

}
