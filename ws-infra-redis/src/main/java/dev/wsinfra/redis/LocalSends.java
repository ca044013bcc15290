package dev.wsinfra.redis;

import java.util.List;

import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.SendType;
import dev.wsinfra.server.internal.LocalDelivery;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Delivers to this instance's connections: the targets come from the
 * {@link LocalRegistry}, and each send reaches them through the in-memory manager as one
 * batch (encoded once, reported once, handed to the writers in one step), whether it is a
 * plain message or a stream entry.
 */
final class LocalSends {

	private final InMemoryConnectionManager local;

	private final LocalRegistry registry;

	LocalSends(InMemoryConnectionManager local, LocalRegistry registry) {
		this.local = local;
		this.registry = registry;
	}

	int toUser(String userId, Object message) {
		return send(this.registry.connections(userId), message, SendType.USER);
	}

	int toRoom(String room, Object message, @Nullable String excludeUser) {
		return send(this.registry.roomConnections(room, excludeUser), message, SendType.ROOM);
	}

	int broadcast(Object message, @Nullable String excludeUser) {
		List<LocalConnection> all = this.registry.connections();
		if (all.isEmpty()) {
			return 0;
		}
		LocalDelivery.Batch batch = batch(message, SendType.BROADCAST, all.size());
		for (LocalConnection connection : all) {
			if (!connection.userId.equals(excludeUser)) {
				batch.to(connection.session);
			}
		}
		return batch.submit();
	}

	/**
	 * Starts a batch to connections the caller picks, such as those a stream entry is due
	 * to.
	 */
	LocalDelivery.Batch batch(Object message, SendType type, int expectedRecipients) {
		return LocalDelivery.batch(this.local, message, type, expectedRecipients);
	}

	/** Closes a user's connections on this instance. */
	void disconnect(String userId, CloseStatus status) {
		for (LocalConnection connection : this.registry.connections(userId)) {
			this.local.disconnect(userId, connection.session, status);
		}
	}

	private int send(List<LocalConnection> targets, Object message, SendType type) {
		if (targets.isEmpty()) {
			return 0;
		}
		LocalDelivery.Batch batch = batch(message, type, targets.size());
		for (LocalConnection connection : targets) {
			batch.to(connection.session);
		}
		return batch.submit();
	}

}
