package dev.wsinfra.server;

import java.util.Set;

/**
 * A {@link ConnectionManager} whose users, rooms and deliveries span several application
 * instances through a shared backend, such as the Redis module's manager. The inherited
 * methods keep their local meaning where the interface says so
 * ({@link #connectionCount()}, {@link #activeUsers()}, {@link #roomCount()},
 * {@link #getRoomUsers}), while sends reach every instance; the methods here answer for
 * the whole cluster.
 *
 * @since 0.1.0
 */
public interface DistributedConnectionManager extends ConnectionManager {

	/**
	 * Returns the id of this instance, unique in the cluster.
	 * @return the instance id
	 */
	String instanceId();

	/**
	 * Returns whether the shared backend answers right now.
	 * @return {@code true} when reachable
	 */
	boolean isBackendAvailable();

	/**
	 * Returns the users connected to any instance.
	 * @return the user ids
	 */
	Set<String> getOnlineUsers();

	/**
	 * Returns how many users are connected to any instance, without listing them.
	 * @return the count
	 */
	default long getOnlineUserCount() {
		return getOnlineUsers().size();
	}

	/**
	 * Returns whether a user is connected to any instance.
	 * @param userId the user
	 * @return {@code true} when online somewhere
	 */
	boolean isUserOnline(String userId);

	/**
	 * Returns the members of a room across every instance.
	 * @param room the room
	 * @return the user ids
	 */
	Set<String> getRoomUsersGlobal(String room);

	/**
	 * Returns the rooms a user is in across every instance.
	 * @param userId the user
	 * @return the rooms
	 */
	Set<String> getUserRooms(String userId);

}
