package dev.wsinfra.server;

/**
 * The kind of send that queued a message, as reported to a {@link SendListener}.
 *
 * @since 0.1.0
 */
public enum SendType {

	/**
	 * {@link ConnectionManager#send(org.springframework.web.socket.WebSocketSession, Object)}:
	 * one connection.
	 */
	DIRECT,

	/**
	 * {@link ConnectionManager#sendToUser(String, Object)}: every connection of a user,
	 * also when a distributed manager replays a stream to the user.
	 */
	USER,

	/**
	 * {@link ConnectionManager#broadcastToRoom(String, Object, String)}: the members of a
	 * room.
	 */
	ROOM,

	/** {@link ConnectionManager#broadcast(Object, String)}: every connection. */
	BROADCAST,

	/**
	 * An entry of a distributed manager's persistent stream, live or recovered, and the
	 * notices that end a recovery; each connection gets its own frame, with its position.
	 */
	PERSISTENT

}
