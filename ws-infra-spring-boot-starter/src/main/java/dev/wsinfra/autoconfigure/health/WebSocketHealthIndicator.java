package dev.wsinfra.autoconfigure.health;

import dev.wsinfra.autoconfigure.internal.BackendProbe;
import dev.wsinfra.autoconfigure.internal.BackendProbe.BackendState;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code websocket} health contributor, with the seed's health check fields: the
 * instance id and its local connections, users and rooms; for a distributed manager also
 * whether its backend answers and how many users are online across the cluster. UP, or
 * {@link #DEGRADED} while a distributed manager's backend does not answer: the instance
 * still serves its own connections, so it should stay in a load balancer's rotation. The
 * backend is asked through a {@link BackendProbe}, so a call returns within a bounded
 * time even when the backend stalls.
 */
final class WebSocketHealthIndicator implements HealthIndicator {

	/**
	 * The status while the backend of a distributed manager does not answer. Spring
	 * Boot's default status order does not know it, so it does not change an aggregate
	 * status; add {@code degraded} to {@code management.endpoint.health.status.order}
	 * (and map it to an HTTP status) to surface it.
	 */
	static final Status DEGRADED = new Status("DEGRADED",
			"The backend does not answer: messages reach this instance's connections only");

	private final ConnectionManager manager;

	private final InstanceId instanceId;

	private final @Nullable BackendProbe backend;

	WebSocketHealthIndicator(ConnectionManager manager, InstanceId instanceId) {
		this.manager = manager;
		this.instanceId = instanceId;
		this.backend = (manager instanceof DistributedConnectionManager distributed) ? new BackendProbe(distributed)
				: null;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up()
			.withDetail("instanceId", this.instanceId.value())
			.withDetail("localConnections", this.manager.connectionCount())
			.withDetail("localUsers", this.manager.activeUsers().size())
			.withDetail("localRooms", this.manager.roomCount());
		if (this.backend != null) {
			BackendState state = this.backend.state();
			health.withDetail("backendConnected", state.reachable());
			if (state.onlineUsers() != null) {
				health.withDetail("globalOnlineUsers", state.onlineUsers());
			}
			if (!state.reachable()) {
				health.status(DEGRADED);
				if (state.unreachableSince() != null) {
					health.withDetail("backendUnreachableSince", state.unreachableSince())
						.withDetail("degraded", "backend unreachable since " + state.unreachableSince()
								+ ": messages reach this instance's connections only");
				}
				else {
					health.withDetail("degraded",
							"backend has not answered yet: messages reach this instance's connections only");
				}
			}
			if (state.checkedAt() != null) {
				health.withDetail("backendCheckedAt", state.checkedAt());
			}
		}
		return health.build();
	}

}
