package dev.wsinfra.endpoint;

import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.web.socket.CloseStatus;

/**
 * Published when a connection is removed from the application's
 * {@link ConnectionManager}, for whatever reason.
 *
 * @since 0.1.0
 */
public class WsDisconnectedEvent extends WsConnectionEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an event.
	 * @param manager the manager the connection was removed from
	 * @param connection the connection, with its close status
	 */
	public WsDisconnectedEvent(ConnectionManager manager, ConnectionEvent connection) {
		super(manager, connection);
	}

	/**
	 * Returns the status the connection closed with.
	 * @return the close status, {@link CloseStatus#NO_STATUS_CODE} when unknown
	 */
	public CloseStatus getCloseStatus() {
		CloseStatus status = getConnection().closeStatus();
		return (status != null) ? status : CloseStatus.NO_STATUS_CODE;
	}

}
