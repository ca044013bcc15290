package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.Subscriptions;
import dev.wsinfra.server.ConnectionInfo;
import org.jspecify.annotations.Nullable;

/**
 * The one registry of this instance's users, rooms and connections: the users it holds
 * connections of (or is registering one for), their rooms as the cluster knows them, the
 * connections by session, and the rooms' local members; and the channel subscriptions
 * that follow from them: a user's channel while the user has a local connection, a room's
 * channel while a local user is in the room. Local delivery reads its targets here.
 * <p>
 * Methods marked so must be called with the user's monitor held; the others take it.
 */
final class LocalRegistry {

	private final KeyLayout keys;

	private final Subscriptions subscriptions;

	private final RecoveryTrigger recoveryTrigger;

	private final Map<String, LocalUser> users = new ConcurrentHashMap<>();

	// Keyed by session id; written under the user's monitor.
	private final Map<String, LocalConnection> sessions = new ConcurrentHashMap<>();

	// The members of each room that have a connection here; written under the
	// member's monitor.
	private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();

	// Set once the run stopped: the pub/sub connection is gone.
	private volatile boolean closed;

	LocalRegistry(KeyLayout keys, Subscriptions subscriptions, RecoveryTrigger recoveryTrigger) {
		this.keys = keys;
		this.subscriptions = subscriptions;
		this.recoveryTrigger = recoveryTrigger;
	}

	void close() {
		this.closed = true;
	}

	@Nullable LocalConnection connection(String sessionId) {
		return this.sessions.get(sessionId);
	}

	List<LocalConnection> connections() {
		return List.copyOf(this.sessions.values());
	}

	List<LocalConnection> connections(String userId) {
		LocalUser user = this.users.get(userId);
		return (user != null) ? user.connections : List.of();
	}

	/** The connections of a room's members, except those of one user. */
	List<LocalConnection> roomConnections(String room, @Nullable String excludeUser) {
		Set<String> members = this.rooms.get(room);
		if (members == null) {
			return List.of();
		}
		List<LocalConnection> connections = new ArrayList<>(members.size());
		for (String member : members) {
			if (!member.equals(excludeUser)) {
				connections.addAll(connections(member));
			}
		}
		return connections;
	}

	/** The user's connections here, each with the user's rooms. */
	List<ConnectionInfo> connectionInfos(String userId) {
		Set<String> rooms = rooms(userId);
		List<ConnectionInfo> infos = new ArrayList<>();
		for (LocalConnection connection : connections(userId)) {
			infos.add(new ConnectionInfo(connection.id, userId, connection.connectedAt, connection.metadata, rooms));
		}
		return List.copyOf(infos);
	}

	int connectionCount() {
		return this.sessions.size();
	}

	Set<String> activeUsers() {
		Set<String> active = new LinkedHashSet<>();
		this.users.forEach((userId, user) -> {
			if (!user.connections.isEmpty()) {
				active.add(userId);
			}
		});
		return Set.copyOf(active);
	}

	boolean isConnected(String userId) {
		return !connections(userId).isEmpty();
	}

	Set<String> roomUsers(String room) {
		Set<String> members = this.rooms.get(room);
		return (members != null) ? Set.copyOf(members) : Set.of();
	}

	int roomCount() {
		return this.rooms.size();
	}

	List<LocalUser> users() {
		return List.copyOf(this.users.values());
	}

	Set<String> userIds() {
		return Set.copyOf(this.users.keySet());
	}

	Set<String> rooms(String userId) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return Set.of();
		}
		synchronized (user) {
			return Set.copyOf(user.rooms);
		}
	}

	/**
	 * Returns the confirmations of the subscriptions to a user's rooms.
	 */
	CompletableFuture<Void> roomSubscriptions(String userId) {
		List<CompletableFuture<Void>> confirmations = new ArrayList<>();
		for (String room : rooms(userId)) {
			confirmations.add(this.subscriptions.confirmation(this.keys.roomChannel(room)));
		}
		return CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new));
	}

	boolean isMember(String userId, String room) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return false;
		}
		synchronized (user) {
			return user.rooms.contains(room);
		}
	}

	/**
	 * Takes a pending registration on a user, subscribing to the user's channel with the
	 * first one.
	 */
	LocalUser retain(String userId) {
		while (true) {
			LocalUser user = this.users.computeIfAbsent(userId,
					(id) -> new LocalUser(id, this.subscriptions.acquire(this.keys.userChannel(id))));
			synchronized (user) {
				if (user.removed) {
					continue;
				}
				if (user.pending++ == 0 && user.changesDuringRegistration == null) {
					user.changesDuringRegistration = new ArrayList<>();
				}
				return user;
			}
		}
	}

	/**
	 * Gives up a pending registration that failed.
	 */
	void releasePending(LocalUser user) {
		synchronized (user) {
			user.pending--;
			if (user.pending == 0) {
				user.changesDuringRegistration = null;
			}
			if (user.isEmpty() && !user.removed) {
				dispose(user);
			}
		}
	}

	/**
	 * Completes a registration once the local manager holds the connection: adds the
	 * connection and the rooms Redis returned, and replays the changes received
	 * meanwhile. Caller holds the user's monitor.
	 */
	void registered(LocalUser user, LocalConnection connection, List<String> rooms) {
		boolean first = user.connections.isEmpty();
		user.add(connection);
		this.sessions.put(connection.session.getId(), connection);
		user.pending--;
		user.changes++;
		if (first) {
			for (String room : user.rooms) {
				index(room, user.userId);
			}
		}
		for (String room : rooms) {
			addRoom(user, room);
		}
		List<LocalUser.RoomChange> changes = user.changesDuringRegistration;
		if (changes != null) {
			for (LocalUser.RoomChange change : changes) {
				apply(user, change);
			}
			if (user.pending == 0) {
				user.changesDuringRegistration = null;
			}
		}
	}

	/**
	 * Splits positions presented at connect: those readable now, and room streams of
	 * rooms the user is not in, kept on the connection until the user joins.
	 * @return the positions to recover now
	 */
	List<StreamPosition> recoverableNow(LocalUser user, LocalConnection connection, List<StreamPosition> positions) {
		List<StreamPosition> now = new ArrayList<>();
		synchronized (user) {
			for (StreamPosition position : positions) {
				String room = StreamDelivery.roomOf(position.stream());
				if (room != null && !user.rooms.contains(room)) {
					connection.awaitMembership(position);
				}
				else {
					now.add(position);
				}
			}
		}
		return now;
	}

	/**
	 * Forgets a connection the local manager removed, and the user with their last one.
	 * @return the connection, or {@code null} when it was not registered here
	 */
	@Nullable LocalConnection removed(String userId, String sessionId) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return null;
		}
		synchronized (user) {
			LocalConnection connection = this.sessions.get(sessionId);
			if (connection == null || !this.sessions.remove(sessionId, connection)) {
				return null;
			}
			user.remove(connection);
			if (user.connections.isEmpty()) {
				for (String room : user.rooms) {
					unindex(room, userId);
				}
			}
			if (user.isEmpty() && !user.removed) {
				dispose(user);
			}
			return connection;
		}
	}

	/**
	 * Applies a room change made in Redis, by this instance or another, if the user is
	 * held here.
	 */
	void change(String userId, LocalUser.RoomChange change) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return;
		}
		synchronized (user) {
			if (user.removed) {
				return;
			}
			apply(user, change);
			if (user.changesDuringRegistration != null) {
				user.changesDuringRegistration.add(change);
			}
		}
	}

	/**
	 * Applies a room change locally while Redis cannot take it.
	 * @return whether it changed anything, and must then be replayed to Redis
	 */
	boolean changeLocallyOnly(String userId, String room, boolean join) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return false;
		}
		synchronized (user) {
			if (user.removed || join == user.rooms.contains(room)) {
				return false;
			}
			apply(user, new LocalUser.RoomChange(room, join));
			return true;
		}
	}

	/**
	 * Returns how many room changes a user's entry has applied, to pass to
	 * {@link #reconcile}.
	 * @return the count, or -1 when the user is not held
	 */
	long changes(String userId) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return -1;
		}
		synchronized (user) {
			return user.changes;
		}
	}

	/**
	 * Makes a user's rooms those Redis holds, after this instance may have missed join or
	 * leave notices, unless the rooms changed since they were read.
	 * @param rooms the user's rooms in Redis
	 * @param changes what {@link #changes} returned before they were read
	 * @return {@code false} when the rooms changed meanwhile, and must be read again
	 */
	boolean reconcile(String userId, Set<String> rooms, long changes) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return true;
		}
		synchronized (user) {
			if (user.removed) {
				return true;
			}
			if (user.changes != changes || user.pending > 0) {
				return false;
			}
			for (String room : rooms) {
				if (!user.rooms.contains(room)) {
					apply(user, new LocalUser.RoomChange(room, true));
				}
			}
			for (String room : List.copyOf(user.rooms)) {
				if (!rooms.contains(room)) {
					apply(user, new LocalUser.RoomChange(room, false));
				}
			}
			return true;
		}
	}

	// Caller holds the user's monitor.
	private void apply(LocalUser user, LocalUser.RoomChange change) {
		user.changes++;
		if (change.joined()) {
			addRoom(user, change.room());
		}
		else if (user.rooms.remove(change.room())) {
			release(this.keys.roomChannel(change.room()));
			unindex(change.room(), user.userId);
			for (LocalConnection connection : user.connections) {
				connection.leftRoom(StreamDelivery.ROOM_STREAM_PREFIX + change.room());
			}
		}
	}

	// Caller holds the user's monitor.
	private void addRoom(LocalUser user, String room) {
		if (user.rooms.add(room)) {
			if (!this.closed) {
				this.subscriptions.acquire(this.keys.roomChannel(room));
			}
			for (LocalConnection connection : user.connections) {
				connection.joinedRoom(StreamDelivery.ROOM_STREAM_PREFIX + room);
				StreamPosition position = connection.takeAwaitingMembership(StreamDelivery.ROOM_STREAM_PREFIX + room);
				if (position != null) {
					this.recoveryTrigger.recover(connection, position);
				}
			}
		}
		if (!user.connections.isEmpty()) {
			index(room, user.userId);
		}
	}

	// Caller holds the user's monitor.
	private void dispose(LocalUser user) {
		user.removed = true;
		this.users.remove(user.userId, user);
		for (String room : user.rooms) {
			release(this.keys.roomChannel(room));
		}
		release(this.keys.userChannel(user.userId));
	}

	private void release(String channel) {
		if (!this.closed) {
			this.subscriptions.release(channel);
		}
	}

	// Caller holds the member's monitor.
	private void index(String room, String userId) {
		this.rooms.compute(room, (key, members) -> {
			Set<String> updated = (members != null) ? members : ConcurrentHashMap.newKeySet();
			updated.add(userId);
			return updated;
		});
	}

	// Caller holds the member's monitor.
	private void unindex(String room, String userId) {
		this.rooms.computeIfPresent(room, (key, members) -> {
			members.remove(userId);
			return members.isEmpty() ? null : members;
		});
	}

	/** Starts the recovery of a stream that waited for the user to join its room. */
	@FunctionalInterface
	interface RecoveryTrigger {

		void recover(LocalConnection connection, StreamPosition position);

	}

}
