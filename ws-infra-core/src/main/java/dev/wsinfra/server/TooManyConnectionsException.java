package dev.wsinfra.server;

import dev.wsinfra.WebSocketException;

/**
 * Thrown by {@link ConnectionManager#connect} when the user already holds the maximum
 * number of connections; close the session with
 * {@link CloseStatuses#TOO_MANY_CONNECTIONS} (4008).
 *
 * @since 0.1.0
 */
public class TooManyConnectionsException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final String userId;

	private final int limit;

	/**
	 * Creates an exception for a user at the limit.
	 * @param userId the user
	 * @param limit the maximum number of connections per user
	 */
	public TooManyConnectionsException(String userId, int limit) {
		super("User already has the maximum of " + limit + " connections");
		this.userId = userId;
		this.limit = limit;
	}

	/**
	 * Returns the user that was refused.
	 * @return the user id
	 */
	public String userId() {
		return this.userId;
	}

	/**
	 * Returns the limit in force.
	 * @return the maximum number of connections per user
	 */
	public int limit() {
		return this.limit;
	}

}
