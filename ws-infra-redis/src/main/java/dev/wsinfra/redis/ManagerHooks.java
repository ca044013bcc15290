package dev.wsinfra.redis;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.ConnectionListener;
import dev.wsinfra.server.internal.ConnectionListeners;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * The listeners an application adds to a manager: connects, disconnects and presence
 * changes. A listener that throws is logged and does not stop the others.
 */
final class ManagerHooks {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final List<ConnectionListener> connectListeners = new CopyOnWriteArrayList<>();

	private final List<ConnectionListener> disconnectListeners = new CopyOnWriteArrayList<>();

	final List<PresenceListener> presenceListeners = new CopyOnWriteArrayList<>();

	void onConnect(ConnectionListener listener) {
		this.connectListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	void onDisconnect(ConnectionListener listener) {
		this.disconnectListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	void onPresenceChange(PresenceListener listener) {
		this.presenceListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	void connected(LocalConnection connection) {
		ConnectionListeners.notify(this.connectListeners, event(connection, null), logger);
	}

	void disconnected(LocalConnection connection, @Nullable CloseStatus status) {
		ConnectionListeners.notify(this.disconnectListeners, event(connection, status), logger);
	}

	private static ConnectionEvent event(LocalConnection connection, @Nullable CloseStatus status) {
		return new ConnectionEvent(connection.userId, connection.id, connection.session, connection.metadata, status);
	}

}
