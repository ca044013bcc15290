package dev.wsinfra.server;

import org.springframework.web.socket.CloseStatus;

/**
 * The close codes ws-infra uses, with their reasons.
 *
 * @since 0.1.0
 */
public final class CloseStatuses {

	/** 1000: normal closure. */
	public static final CloseStatus NORMAL = CloseStatus.NORMAL;

	/** 1001: the server is shutting down. */
	public static final CloseStatus SHUTTING_DOWN = new CloseStatus(1001, "Server shutting down");

	/** 1008: a message broke the protocol or the endpoint's policy. */
	public static final CloseStatus POLICY_VIOLATION = CloseStatus.POLICY_VIOLATION;

	/** 1009: a message was larger than the configured maximum. */
	public static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(1009, "Message too big");

	/** 1011: an unexpected server error. */
	public static final CloseStatus SERVER_ERROR = CloseStatus.SERVER_ERROR;

	/** 1013: the peer read too slowly and its outbound queue overflowed. */
	public static final CloseStatus SLOW_CONSUMER = new CloseStatus(1013, "Slow consumer");

	/** 4001: the access token expired and was not refreshed. */
	public static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4001, "Token expired");

	/** 4008: the user already has the maximum number of connections. */
	public static final CloseStatus TOO_MANY_CONNECTIONS = new CloseStatus(4008, "Too many connections");

	private CloseStatuses() {
	}

}
