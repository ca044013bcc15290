package dev.wsinfra.redis;

import java.time.Instant;
import java.util.Map;

/**
 * One connection of a user, as presence records it.
 *
 * @param connectionId the id {@code connect} returned on its instance
 * @param instanceId the instance holding it
 * @param connectedAt when it was registered
 * @param metadata the metadata passed to {@code connect}, as JSON values
 * @since 0.1.0
 */
public record PresenceConnection(String connectionId, String instanceId, Instant connectedAt,
		Map<String, Object> metadata) {

	public PresenceConnection {
		metadata = Map.copyOf(metadata);
	}

}
