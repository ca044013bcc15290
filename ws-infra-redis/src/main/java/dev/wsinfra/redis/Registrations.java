package dev.wsinfra.redis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.wsinfra.redis.PresenceStore.Registration;
import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.TooManyConnectionsException;
import dev.wsinfra.server.internal.LocalDelivery;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.web.socket.WebSocketSession;

/**
 * Connections coming and going on a running manager: a connection is registered in Redis
 * (where the per-user limit holds across the cluster), then with the local manager under
 * the same id, then in the registry; removing it undoes the three. While Redis is
 * unreachable a connection is registered locally only, and the resync registers it in
 * Redis later.
 */
final class Registrations {

	private final int limit;

	private final RedisBackend backend;

	private final RedisHealth health;

	private final InMemoryConnectionManager local;

	private final LocalRegistry registry;

	private final StreamDelivery streams;

	private final Recoveries recoveries;

	private final ClusterMaintenance maintenance;

	private final PresenceEvents presenceEvents;

	private final ManagerHooks hooks;

	private final int maxRecoveryPositions;

	Registrations(RunningInstance run) {
		this.limit = run.context.settings().maxConnectionsPerUser();
		this.maxRecoveryPositions = run.context.options().maxRecoveryPositions();
		this.backend = run.backend;
		this.health = run.context.health();
		this.local = run.context.local();
		this.hooks = run.context.hooks();
		this.registry = run.registry;
		this.streams = run.streams;
		this.recoveries = run.recoveries;
		this.maintenance = run.maintenance;
		this.presenceEvents = run.presenceEvents;
	}

	String connect(String userId, WebSocketSession session, Map<String, Object> metadata) {
		LocalConnection existing = this.registry.connection(session.getId());
		if (existing != null) {
			return existing.id;
		}
		RecoveryRequest request = RecoveryRequest.of(StreamPosition.fromQuery(session.getUri()),
				this.maxRecoveryPositions);
		List<StreamPosition> positions = request.positions();
		Set<String> recovering = new LinkedHashSet<>();
		positions.forEach((position) -> recovering.add(position.stream()));
		LocalConnection connection = new LocalConnection(UUID.randomUUID().toString(), userId, session, metadata,
				recovering, this.streams::gap);
		LocalUser user = this.registry.retain(userId);
		Registration registration = null;
		try {
			if (this.health.isAvailable()) {
				this.maintenance.awaitQuietly(user.subscribed, "subscribe");
			}
			registration = register(connection);
			List<String> rooms = (registration != null) ? registration.rooms() : List.of();
			synchronized (user) {
				LocalDelivery.connect(this.local, connection.id, userId, session, connection.metadata);
				this.registry.registered(user, connection, rooms);
			}
		}
		catch (RuntimeException ex) {
			this.registry.releasePending(user);
			if (registration != null) {
				this.maintenance.unregister(connection);
			}
			throw ex;
		}
		if (registration != null) {
			// Subscribed to the user's rooms before returning: a room message sent from
			// another instance once connect returned reaches this connection.
			this.maintenance.awaitQuietly(this.registry.roomSubscriptions(userId), "subscribe");
		}
		this.hooks.connected(connection);
		if (registration != null && registration.overtaken() != null) {
			this.presenceEvents.departed(List.of(registration.overtaken()));
		}
		if (registration != null && registration.joined()) {
			this.presenceEvents.fire(PresenceEvent.Type.JOINED, List.of(userId));
		}
		// A room the user left with their last connection is recovered when they join
		// it again.
		for (StreamPosition position : this.registry.recoverableNow(user, connection, positions)) {
			this.streams.recover(connection, position);
		}
		this.recoveries.answerUnrecovered(connection, request);
		return connection.id;
	}

	private @Nullable Registration register(LocalConnection connection) {
		if (!this.health.isAvailable()) {
			this.health.dirty();
			return null;
		}
		Registration registration;
		try {
			registration = this.backend.presence.register(connection.id, connection.userId,
					this.backend.presence.entry(connection.connectedAt, connection.metadata), this.limit);
		}
		catch (DataAccessException ex) {
			this.health.unavailable(ex);
			this.health.dirty();
			return null;
		}
		if (registration.refused()) {
			throw new TooManyConnectionsException(connection.userId, this.limit);
		}
		return registration;
	}

	/**
	 * Cleans up after a connection the local manager removed, whatever the reason.
	 * @param stopped whether the manager stopped, and Redis is no longer told
	 */
	void removed(ConnectionEvent event, boolean stopped) {
		LocalConnection connection = this.registry.removed(event.userId(), event.session().getId());
		if (connection == null) {
			return;
		}
		if (!stopped) {
			this.maintenance.unregister(connection);
		}
		this.hooks.disconnected(connection, event.closeStatus());
	}

}
