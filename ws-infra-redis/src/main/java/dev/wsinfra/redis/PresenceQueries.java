package dev.wsinfra.redis;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The global queries of a running manager, read from Redis: each fails at once while
 * Redis is known to be unreachable, and a read that times out or cannot reach Redis marks
 * it so.
 */
final class PresenceQueries {

	private final ManagerContext context;

	private final PresenceStore presence;

	PresenceQueries(ManagerContext context, PresenceStore presence) {
		this.context = context;
		this.presence = presence;
	}

	Set<String> onlineUsers() {
		return read((store) -> Set.copyOf(store.onlineUsers()));
	}

	long onlineUserCount() {
		return read(PresenceStore::onlineUserCount);
	}

	boolean isOnline(String userId) {
		return read((store) -> store.isOnline(userId));
	}

	Optional<UserPresence> userPresence(String userId) {
		return read((store) -> {
			boolean online = store.isOnline(userId);
			List<PresenceConnection> connections = store.connections(userId);
			if (!online && connections.isEmpty()) {
				return Optional.empty();
			}
			return Optional.of(new UserPresence(userId, online, connections));
		});
	}

	Set<String> roomMembers(String room) {
		return read((store) -> Set.copyOf(store.roomMembers(room)));
	}

	Set<String> userRooms(String userId) {
		return read((store) -> Set.copyOf(store.userRooms(userId)));
	}

	private <T> T read(Function<PresenceStore, T> read) {
		RedisHealth health = this.context.health();
		if (!health.isAvailable()) {
			throw new RedisConnectionFailureException("Redis unreachable since " + health.unavailableSince()
					+ "; instance " + this.context.instanceId() + " asks it again once the heartbeat gets through");
		}
		try {
			return read.apply(this.presence);
		}
		catch (QueryTimeoutException | RedisConnectionFailureException ex) {
			// An interrupted caller says nothing about Redis.
			if (!Thread.currentThread().isInterrupted()) {
				health.unavailable(ex);
			}
			throw ex;
		}
	}

}
