package dev.wsinfra.autoconfigure.health;

import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code websocket} health contributor, with the seed's health check fields: the
 * instance id and its local connections, users and rooms; for a distributed manager also
 * whether its backend answers and how many users are online across the cluster. UP, or
 * DOWN when a distributed manager's backend does not answer.
 */
final class WebSocketHealthIndicator implements HealthIndicator {

	private final ConnectionManager manager;

	private final InstanceId instanceId;

	WebSocketHealthIndicator(ConnectionManager manager, InstanceId instanceId) {
		this.manager = manager;
		this.instanceId = instanceId;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up()
			.withDetail("instanceId", this.instanceId.value())
			.withDetail("localConnections", this.manager.connectionCount())
			.withDetail("localUsers", this.manager.activeUsers().size())
			.withDetail("localRooms", this.manager.roomCount());
		if (this.manager instanceof DistributedConnectionManager distributed) {
			boolean reachable = distributed.isBackendAvailable();
			if (reachable) {
				try {
					health.withDetail("globalOnlineUsers", distributed.getOnlineUserCount());
				}
				catch (RuntimeException ex) {
					// The backend dropped between the two questions.
					reachable = false;
					health.withException(ex);
				}
			}
			health.withDetail("backendConnected", reachable);
			if (!reachable) {
				health.down();
			}
		}
		return health.build();
	}

}
