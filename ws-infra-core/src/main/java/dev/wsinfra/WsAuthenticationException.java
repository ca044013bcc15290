package dev.wsinfra;

/**
 * Thrown when a WebSocket handshake or connection fails authentication or authorization.
 *
 * @since 0.1.0
 */
public class WsAuthenticationException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final int httpStatus;

	/**
	 * Creates an exception for missing, invalid or expired credentials (HTTP 401).
	 * @param message why authentication failed; never the credential itself
	 */
	public WsAuthenticationException(String message) {
		this(message, 401);
	}

	/**
	 * Creates an exception with the HTTP status the handshake is rejected with.
	 * @param message why authentication failed; never the credential itself
	 * @param httpStatus 401 for missing or bad credentials, 403 for insufficient rights
	 */
	public WsAuthenticationException(String message, int httpStatus) {
		super(message);
		this.httpStatus = httpStatus;
	}

	/**
	 * Returns the HTTP status the handshake is rejected with.
	 * @return 401 or 403
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

}
