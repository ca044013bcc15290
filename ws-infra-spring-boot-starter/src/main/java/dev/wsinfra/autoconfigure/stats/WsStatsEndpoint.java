package dev.wsinfra.autoconfigure.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.wsinfra.autoconfigure.internal.BackendProbe;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.ConnectionInfo;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code websocket} Actuator endpoint, the seed's {@code /ws/stats}: connection
 * count, connected users and room count of this instance ({@code /actuator/websocket}),
 * and one user's connections ({@code /actuator/websocket/{userId}}). Expose it with
 * {@code management.endpoints.web.exposure.include=websocket}; it lists user ids, so
 * secure it as such. The cluster-wide figure comes back within a bounded time, from what
 * is known of the backend when it does not answer.
 *
 * @since 0.1.0
 */
@Endpoint(id = "websocket")
public class WsStatsEndpoint {

	private final ConnectionManager manager;

	private final InstanceId instanceId;

	private final @Nullable BackendProbe backend;

	WsStatsEndpoint(ConnectionManager manager, InstanceId instanceId) {
		this.manager = manager;
		this.instanceId = instanceId;
		this.backend = (manager instanceof DistributedConnectionManager distributed) ? new BackendProbe(distributed)
				: null;
	}

	/**
	 * Returns the statistics of this instance.
	 * @return the statistics
	 */
	@ReadOperation
	public Stats stats() {
		return new Stats(this.instanceId.value(), this.manager.connectionCount(),
				new TreeSet<>(this.manager.activeUsers()), this.manager.roomCount(), globalOnlineUsers());
	}

	/**
	 * Returns the users online across the cluster: counted by the backend of a
	 * distributed manager, {@code null} when there is none or it does not answer. Asked
	 * through a {@link BackendProbe}, so a backend that stalls does not hold the request.
	 */
	private @Nullable Long globalOnlineUsers() {
		return (this.backend != null) ? this.backend.state().onlineUsers() : null;
	}

	/**
	 * Returns the connections of one user on this instance.
	 * @param userId the user
	 * @return the user's connections
	 */
	@ReadOperation
	public UserConnections user(@Selector String userId) {
		List<Connection> connections = this.manager.getUserConnections(userId).stream().map(Connection::of).toList();
		return new UserConnections(userId, connections);
	}

	/**
	 * The statistics of this instance.
	 *
	 * @param instanceId the instance id
	 * @param connections the number of connections
	 * @param users the connected users
	 * @param rooms the number of rooms with members
	 * @param globalOnlineUsers the users online across the cluster, for a distributed
	 * manager whose backend answers
	 */
	public record Stats(String instanceId, int connections, Set<String> users, int rooms,
			@Nullable Long globalOnlineUsers) {

	}

	/**
	 * The connections of one user.
	 *
	 * @param userId the user
	 * @param connections the connections on this instance
	 */
	public record UserConnections(String userId, List<Connection> connections) {

	}

	/**
	 * One connection.
	 *
	 * @param connectionId the connection id
	 * @param connectedAt when it was registered
	 * @param metadata its metadata
	 * @param rooms the user's rooms
	 */
	public record Connection(String connectionId, Instant connectedAt, Map<String, Object> metadata,
			Set<String> rooms) {

		static Connection of(ConnectionInfo info) {
			return new Connection(info.connectionId(), info.connectedAt(), info.metadata(), info.rooms());
		}

	}

}
