package dev.wsinfra.autoconfigure.realtime;

import dev.wsinfra.server.CloseStatuses;

import org.springframework.web.socket.CloseStatus;

/**
 * Why a relay session ended: the close status the browser gets, the code of the error
 * event sent before it, and the {@code reason} tag of the session meters.
 */
enum RelayClose {

	/** The browser closed the session. */
	CLIENT_CLOSED("client_closed", CloseStatus.NORMAL),

	/** The application is shutting down: 1001. */
	SHUTDOWN("shutdown", CloseStatuses.SHUTTING_DOWN),

	/**
	 * The user already holds {@code ws.realtime.max-sessions-per-user} sessions: 4008.
	 */
	TOO_MANY_SESSIONS("too_many_sessions", new CloseStatus(4008, "Too many realtime sessions")),

	/**
	 * This instance holds {@code ws.realtime.max-sessions-per-instance} sessions: 1013.
	 */
	INSTANCE_CAPACITY("instance_capacity", new CloseStatus(1013, "Realtime sessions at capacity")),

	/** No message either way for {@code ws.realtime.idle-timeout}: 4010. */
	IDLE_TIMEOUT("idle_timeout", new CloseStatus(4010, "Realtime session idle")),

	/** The session lasted {@code ws.realtime.max-duration}: 4011. */
	MAX_DURATION("max_duration", new CloseStatus(4011, "Realtime session time limit")),

	/** The browser read too slowly under the {@code close} policy: 1013. */
	SLOW_CLIENT("slow_client", CloseStatuses.SLOW_CONSUMER),

	/** The provider could not be reached: 1014. */
	PROVIDER_UNREACHABLE("provider_unreachable", new CloseStatus(1014, "Provider unreachable")),

	/** The provider refused the key (401, 403) or the handshake otherwise: 1014. */
	PROVIDER_REFUSED("provider_refused", new CloseStatus(1014, "Provider refused the session")),

	/**
	 * The provider answered 429: 4029, with its {@code Retry-After} in the error event.
	 */
	PROVIDER_RATE_LIMITED("provider_rate_limited", new CloseStatus(4029, "Provider rate limit")),

	/** The provider stopped answering or reading: 1014. */
	PROVIDER_STALLED("provider_stalled", new CloseStatus(1014, "Provider stalled")),

	/** The provider closed the connection: 1014. */
	PROVIDER_CLOSED("provider_closed", new CloseStatus(1014, "Provider closed the session")),

	/** The relay failed: 1011. */
	SERVER_ERROR("server_error", CloseStatuses.SERVER_ERROR);

	private final String tag;

	private final CloseStatus status;

	RelayClose(String tag, CloseStatus status) {
		this.tag = tag;
		this.status = status;
	}

	String tag() {
		return this.tag;
	}

	CloseStatus status() {
		return this.status;
	}

}
