package dev.wsinfra.autoconfigure.internal;

import dev.wsinfra.server.CloseStatuses;

import org.springframework.web.socket.CloseStatus;

/**
 * Why the library closed a connection: the close status sent and the tag used in metrics.
 */
public enum CloseReason {

	/** The user already holds the maximum number of connections: 4008. */
	TOO_MANY_CONNECTIONS("too_many_connections", CloseStatuses.TOO_MANY_CONNECTIONS, true),

	/** The instance reached its connection limit between handshake and open: 1013. */
	INSTANCE_CAPACITY("instance_capacity", new CloseStatus(1013, "Server at capacity"), true),

	/** A message exceeded {@code ws.max-message-size}: 1009. */
	MESSAGE_TOO_BIG("message_too_big", CloseStatuses.MESSAGE_TOO_BIG, false),

	/** Too many bad messages in a row: 1008. */
	BAD_MESSAGE("bad_message", new CloseStatus(1008, "Too many bad messages"), false),

	/** The endpoint's {@code WsConnectionMetadata} refused the connection: 1008. */
	CONNECTION_REFUSED("connection_refused", new CloseStatus(1008, "Connection refused"), false),

	/** The handler let a refused room join escape: 1008. */
	ROOM_ACCESS_DENIED("room_access_denied", new CloseStatus(1008, "Room access denied"), false),

	/** The outbound queue overflowed: 1013, closed by the connection manager. */
	SLOW_CONSUMER("slow_consumer", CloseStatuses.SLOW_CONSUMER, true),

	/** The token expired and was not refreshed: 4001. */
	TOKEN_EXPIRED("token_expired", CloseStatuses.TOKEN_EXPIRED, false),

	/** No pong within the ping timeout: 1011. */
	PING_TIMEOUT("ping_timeout", new CloseStatus(1011, "Keepalive ping timeout"), false),

	/** The handler failed: 1011. */
	SERVER_ERROR("server_error", CloseStatuses.SERVER_ERROR, true),

	/** The application is shutting down: 1001. */
	SHUTDOWN("shutdown", CloseStatuses.SHUTTING_DOWN, false);

	private final String tag;

	private final CloseStatus status;

	private final boolean warn;

	CloseReason(String tag, CloseStatus status, boolean warn) {
		this.tag = tag;
		this.status = status;
		this.warn = warn;
	}

	/**
	 * Returns the value of the {@code reason} tag.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Returns the close status sent to the peer.
	 * @return the status
	 */
	public CloseStatus status() {
		return this.status;
	}

	/**
	 * Returns whether the close is logged at WARN (server-side trouble) rather than INFO
	 * (the client's doing or a normal event).
	 * @return {@code true} for WARN
	 */
	public boolean isWarning() {
		return this.warn;
	}

}
