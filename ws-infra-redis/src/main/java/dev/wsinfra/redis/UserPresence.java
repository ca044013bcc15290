package dev.wsinfra.redis;

import java.util.List;

/**
 * A user's presence across the cluster: every connection, on every instance, each with
 * its own metadata.
 *
 * @param userId the user
 * @param online whether the user counts as online; during a grace period a user with no
 * connection left is still online
 * @param connections the user's connections, oldest first
 * @since 0.1.0
 */
public record UserPresence(String userId, boolean online, List<PresenceConnection> connections) {

	public UserPresence {
		connections = List.copyOf(connections);
	}

}
