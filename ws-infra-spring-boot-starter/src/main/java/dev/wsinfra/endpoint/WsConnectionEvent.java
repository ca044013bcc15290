package dev.wsinfra.endpoint;

import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.context.ApplicationEvent;

/**
 * A connection registered with or removed from the application's
 * {@link ConnectionManager}, published as an application event beside the manager's own
 * hooks. Listeners run on the thread that caused the event, after the manager's state was
 * updated.
 *
 * @since 0.1.0
 * @see WsConnectedEvent
 * @see WsDisconnectedEvent
 */
public abstract class WsConnectionEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient ConnectionEvent connection;

	/**
	 * Creates an event.
	 * @param manager the manager the connection was registered with or removed from
	 * @param connection the connection
	 */
	protected WsConnectionEvent(ConnectionManager manager, ConnectionEvent connection) {
		super(manager);
		this.connection = connection;
	}

	/**
	 * Returns the connection: user, connection id, session, metadata and, for a
	 * disconnect, the close status.
	 * @return the connection
	 */
	public ConnectionEvent getConnection() {
		return this.connection;
	}

	/**
	 * Returns the user the connection belongs to.
	 * @return the user id
	 */
	public String getUserId() {
		return this.connection.userId();
	}

}
