package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.server.InMemoryConnectionManager;
import org.jspecify.annotations.Nullable;

/**
 * The users this instance holds connections of, their rooms as the cluster knows them,
 * and the channel subscriptions that follow from both: a user's channel while the user
 * has a local connection, a room's channel while a local user is in the room. Room
 * membership is mirrored into the local manager, which delivers.
 * <p>
 * Methods marked so must be called with the user's monitor held; the others take it.
 */
final class LocalMembership {

	private final RedisKeys keys;

	private final InMemoryConnectionManager local;

	private final RecoveryTrigger recoveryTrigger;

	private final Map<String, LocalUser> users = new ConcurrentHashMap<>();

	LocalMembership(RedisKeys keys, InMemoryConnectionManager local, RecoveryTrigger recoveryTrigger) {
		this.keys = keys;
		this.local = local;
		this.recoveryTrigger = recoveryTrigger;
	}

	@Nullable LocalUser get(String userId) {
		return this.users.get(userId);
	}

	List<LocalUser> users() {
		return List.copyOf(this.users.values());
	}

	Set<String> userIds() {
		return Set.copyOf(this.users.keySet());
	}

	List<LocalConnection> connections(String userId) {
		LocalUser user = this.users.get(userId);
		return (user != null) ? user.connections : List.of();
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
	CompletableFuture<Void> roomSubscriptions(RedisBackend backend, String userId) {
		List<CompletableFuture<Void>> confirmations = new ArrayList<>();
		for (String room : rooms(userId)) {
			confirmations.add(backend.subscriptions.confirmation(this.keys.roomChannel(room)));
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
	LocalUser retain(RedisBackend backend, String userId) {
		while (true) {
			LocalUser user = this.users.computeIfAbsent(userId,
					(id) -> new LocalUser(id, backend.subscriptions.acquire(this.keys.userChannel(id))));
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
	void releasePending(RedisBackend backend, LocalUser user) {
		synchronized (user) {
			user.pending--;
			if (user.pending == 0) {
				user.changesDuringRegistration = null;
			}
			if (user.isEmpty() && !user.removed) {
				dispose(backend, user);
			}
		}
	}

	/**
	 * Completes a registration once the local manager holds the connection: adds the
	 * rooms Redis returned, replays the changes received meanwhile and mirrors the rooms
	 * locally. Caller holds the user's monitor.
	 */
	void registered(RedisBackend backend, LocalUser user, LocalConnection connection, List<String> rooms) {
		user.add(connection);
		user.pending--;
		user.changes++;
		for (String room : rooms) {
			addRoom(backend, user, room);
		}
		List<LocalUser.RoomChange> changes = user.changesDuringRegistration;
		if (changes != null) {
			for (LocalUser.RoomChange change : changes) {
				apply(backend, user, change);
			}
			if (user.pending == 0) {
				user.changesDuringRegistration = null;
			}
		}
		for (String room : user.rooms) {
			this.local.joinRoom(user.userId, room);
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
	 */
	void removed(@Nullable RedisBackend backend, LocalConnection connection) {
		LocalUser user = this.users.get(connection.userId);
		if (user != null) {
			synchronized (user) {
				user.remove(connection);
				if (user.isEmpty() && !user.removed) {
					dispose(backend, user);
				}
			}
		}
	}

	/**
	 * Applies a room change made in Redis, by this instance or another, if the user is
	 * held here.
	 */
	void change(RedisBackend backend, String userId, LocalUser.RoomChange change) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return;
		}
		synchronized (user) {
			if (user.removed) {
				return;
			}
			apply(backend, user, change);
			if (user.changesDuringRegistration != null) {
				user.changesDuringRegistration.add(change);
			}
		}
	}

	/**
	 * Applies a room change locally while Redis cannot take it.
	 * @return whether it changed anything, and must then be replayed to Redis
	 */
	boolean changeLocallyOnly(RedisBackend backend, String userId, String room, boolean join) {
		LocalUser user = this.users.get(userId);
		if (user == null) {
			return false;
		}
		synchronized (user) {
			if (user.removed || join == user.rooms.contains(room)) {
				return false;
			}
			apply(backend, user, new LocalUser.RoomChange(room, join));
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
	boolean reconcile(RedisBackend backend, String userId, Set<String> rooms, long changes) {
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
					apply(backend, user, new LocalUser.RoomChange(room, true));
				}
			}
			for (String room : List.copyOf(user.rooms)) {
				if (!rooms.contains(room)) {
					apply(backend, user, new LocalUser.RoomChange(room, false));
				}
			}
			return true;
		}
	}

	// Caller holds the user's monitor.
	private void apply(RedisBackend backend, LocalUser user, LocalUser.RoomChange change) {
		user.changes++;
		if (change.joined()) {
			addRoom(backend, user, change.room());
		}
		else if (user.rooms.remove(change.room())) {
			backend.subscriptions.release(this.keys.roomChannel(change.room()));
			this.local.leaveRoom(user.userId, change.room());
		}
	}

	// Caller holds the user's monitor.
	private void addRoom(RedisBackend backend, LocalUser user, String room) {
		if (user.rooms.add(room)) {
			backend.subscriptions.acquire(this.keys.roomChannel(room));
			for (LocalConnection connection : user.connections) {
				StreamPosition position = connection.takeAwaitingMembership(StreamDelivery.ROOM_STREAM_PREFIX + room);
				if (position != null) {
					this.recoveryTrigger.recover(backend, connection, position);
				}
			}
		}
		if (!user.connections.isEmpty()) {
			this.local.joinRoom(user.userId, room);
		}
	}

	// Caller holds the user's monitor.
	private void dispose(@Nullable RedisBackend backend, LocalUser user) {
		user.removed = true;
		this.users.remove(user.userId, user);
		if (backend != null) {
			for (String room : user.rooms) {
				backend.subscriptions.release(this.keys.roomChannel(room));
			}
			backend.subscriptions.release(this.keys.userChannel(user.userId));
		}
	}

	/** Starts the recovery of a stream that waited for the user to join its room. */
	@FunctionalInterface
	interface RecoveryTrigger {

		void recover(RedisBackend backend, LocalConnection connection, StreamPosition position);

	}

}
