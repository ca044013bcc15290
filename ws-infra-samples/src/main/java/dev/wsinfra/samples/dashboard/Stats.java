package dev.wsinfra.samples.dashboard;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * The seed's statistics of the connection manager, as {@code GET /ws/stats} answers them
 * and the dashboard updates carry them.
 *
 * @param instanceId the instance that answers: the Redis manager's instance id, else
 * {@code ws.instance-id}, else {@code local}
 * @param connections the connections on this instance
 * @param users the users connected to this instance
 * @param rooms the rooms with members on this instance
 * @param onlineUsers the users connected anywhere: to any instance with the Redis module,
 * else to this one; {@code null} while Redis does not answer
 * @param timestamp when the figures were taken
 */
record Stats(String instanceId, int connections, Set<String> users, int rooms, @Nullable Long onlineUsers,
		Instant timestamp) {

	static Stats of(ConnectionManager manager, String configuredInstanceId) {
		Set<String> users = new TreeSet<>(manager.activeUsers());
		String instanceId = configuredInstanceId;
		Long online = (long) users.size();
		if (manager instanceof DistributedConnectionManager distributed) {
			instanceId = distributed.instanceId();
			online = onlineUsers(distributed);
		}
		return new Stats(instanceId, manager.connectionCount(), users, manager.roomCount(), online, Instant.now());
	}

	/**
	 * Counts the users online anywhere, or returns {@code null} at once while the manager
	 * knows Redis is down, or when Redis stops answering meanwhile.
	 */
	private static @Nullable Long onlineUsers(DistributedConnectionManager distributed) {
		if (!distributed.isBackendAvailable()) {
			return null;
		}
		try {
			return distributed.getOnlineUserCount();
		}
		catch (DataAccessException ex) {
			return null;
		}
	}

}
