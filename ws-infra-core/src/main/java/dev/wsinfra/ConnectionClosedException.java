package dev.wsinfra;

import dev.wsinfra.internal.LogValues;
import org.jspecify.annotations.Nullable;

/**
 * Thrown to a reader or sender when the connection is closed, carrying the close code and
 * reason of the close frame (1006 when the connection dropped without one).
 *
 * @since 0.1.0
 */
public class ConnectionClosedException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final int code;

	private final String reason;

	/**
	 * Creates an exception for a close with the given code and reason.
	 * @param code the close code (RFC 6455 section 7.4)
	 * @param reason the close reason, empty when none was given
	 */
	public ConnectionClosedException(int code, String reason) {
		this(code, reason, null);
	}

	/**
	 * Creates an exception for a close with the given code, reason and cause.
	 * @param code the close code (RFC 6455 section 7.4)
	 * @param reason the close reason, empty when none was given
	 * @param cause the failure that closed the connection, if any
	 */
	public ConnectionClosedException(int code, String reason, @Nullable Throwable cause) {
		super(describe(code, reason), cause);
		this.code = code;
		this.reason = reason;
	}

	// The message reaches logs: the reason is the peer's text, so its control characters
	// are escaped there; reason() keeps it as it came.
	private static String describe(int code, String reason) {
		return reason.isEmpty() ? "Connection closed with code " + code
				: "Connection closed with code " + code + ": " + LogValues.escape(reason);
	}

	/**
	 * Returns the close code.
	 * @return the close code, 1006 when the connection dropped without a close frame
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Returns the close reason.
	 * @return the reason, empty when none was given
	 */
	public String reason() {
		return this.reason;
	}

}
