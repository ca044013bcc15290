package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A user with at least one connection on this instance, or one being registered: the
 * connections, and the user's rooms as this instance knows them (the global membership,
 * kept current by control messages on the user's channel).
 * <p>
 * Every field is guarded by the object's monitor. Once {@link #removed} is set the entry
 * is dead and callers must look the user up again.
 */
final class LocalUser {

	final String userId;

	final CompletableFuture<Void> subscribed;

	// Replaced, never mutated, so that deliveries can read it without the lock.
	volatile List<LocalConnection> connections = List.of();

	final Set<String> rooms = new LinkedHashSet<>();

	int pending;

	// Counts the room changes applied, so that a resync can tell whether the rooms
	// changed while it read them from Redis.
	long changes;

	boolean removed;

	// Room changes received while a registration was under way; replayed over the
	// snapshot the registration read, so that a change made in between is not lost.
	@Nullable List<RoomChange> changesDuringRegistration;

	LocalUser(String userId, CompletableFuture<Void> subscribed) {
		this.userId = userId;
		this.subscribed = subscribed;
	}

	void add(LocalConnection connection) {
		List<LocalConnection> copy = new ArrayList<>(this.connections);
		copy.add(connection);
		this.connections = List.copyOf(copy);
	}

	void remove(LocalConnection connection) {
		List<LocalConnection> copy = new ArrayList<>(this.connections);
		copy.remove(connection);
		this.connections = List.copyOf(copy);
	}

	boolean isEmpty() {
		return this.connections.isEmpty() && this.pending == 0;
	}

	/**
	 * A room joined or left through another instance.
	 *
	 * @param room the room
	 * @param joined {@code true} for a join, {@code false} for a leave
	 */
	record RoomChange(String room, boolean joined) {
	}

}
