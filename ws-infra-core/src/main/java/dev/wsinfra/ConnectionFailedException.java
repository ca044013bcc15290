package dev.wsinfra;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a connection cannot be established: refused, unknown host, TLS failure,
 * timeout, or a handshake the server answered with an HTTP status other than 101.
 *
 * @since 0.1.0
 */
public class ConnectionFailedException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final int httpStatus;

	private final @Nullable Duration retryAfter;

	/**
	 * Creates an exception for a failure below HTTP (refused, DNS, TLS, timeout).
	 * @param message what failed
	 * @param cause the underlying failure, if any
	 */
	public ConnectionFailedException(String message, @Nullable Throwable cause) {
		this(message, cause, -1, null);
	}

	/**
	 * Creates an exception for a handshake answered with an HTTP status.
	 * @param message what failed
	 * @param cause the underlying failure, if any
	 * @param httpStatus the status the server answered, or -1 when there was no answer
	 * @param retryAfter the server's {@code Retry-After}, if it sent one
	 */
	public ConnectionFailedException(String message, @Nullable Throwable cause, int httpStatus,
			@Nullable Duration retryAfter) {
		super(message, cause);
		this.httpStatus = httpStatus;
		this.retryAfter = retryAfter;
	}

	/**
	 * Returns the HTTP status of a rejected handshake.
	 * @return the status, or empty when the failure happened before an HTTP answer
	 */
	public OptionalInt httpStatus() {
		return (this.httpStatus > 0) ? OptionalInt.of(this.httpStatus) : OptionalInt.empty();
	}

	/**
	 * Returns how long the server asked the client to wait before trying again.
	 * @return the server's {@code Retry-After}, if any
	 */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
