package dev.wsinfra.endpoint;

import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.ConnectionManager;

/**
 * Published when a connection is registered with the application's
 * {@link ConnectionManager}.
 *
 * @since 0.1.0
 */
public class WsConnectedEvent extends WsConnectionEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an event.
	 * @param manager the manager the connection was registered with
	 * @param connection the connection
	 */
	public WsConnectedEvent(ConnectionManager manager, ConnectionEvent connection) {
		super(manager, connection);
	}

}
