package dev.wsinfra.server;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of one tracked connection.
 *
 * @param connectionId the id {@link ConnectionManager#connect} returned
 * @param userId the user the connection belongs to
 * @param connectedAt when the connection was registered
 * @param metadata what was passed to {@code connect}, unmodifiable
 * @param rooms the rooms of the user when the snapshot was taken, unmodifiable
 * @since 0.1.0
 */
public record ConnectionInfo(String connectionId, String userId, Instant connectedAt, Map<String, Object> metadata,
		Set<String> rooms) {

	public ConnectionInfo {
		metadata = Map.copyOf(metadata);
		rooms = Set.copyOf(rooms);
	}

}
