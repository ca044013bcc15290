package dev.wsinfra.server;

import dev.wsinfra.WebSocketException;
import dev.wsinfra.internal.LogValues;

/**
 * Thrown by {@link ConnectionManager#joinRoom} when the manager's {@link RoomAuthorizer}
 * refuses to let a user join a room; the user's membership is unchanged.
 *
 * @since 0.1.0
 */
public class RoomAccessDeniedException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final String userId;

	private final String room;

	/**
	 * Creates an exception for a refused join.
	 * @param userId the user
	 * @param room the room
	 */
	public RoomAccessDeniedException(String userId, String room) {
		super("User " + LogValues.escape(userId) + " may not join room " + LogValues.escape(room));
		this.userId = userId;
		this.room = room;
	}

	/**
	 * Returns the user that was refused.
	 * @return the user id
	 */
	public String userId() {
		return this.userId;
	}

	/**
	 * Returns the room the user may not join.
	 * @return the room
	 */
	public String room() {
		return this.room;
	}

}
