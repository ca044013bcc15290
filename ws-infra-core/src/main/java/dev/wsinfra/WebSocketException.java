package dev.wsinfra;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception that ws-infra throws; unchecked.
 *
 * @since 0.1.0
 */
public class WebSocketException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with a message.
	 * @param message what went wrong
	 */
	public WebSocketException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message and a cause.
	 * @param message what went wrong
	 * @param cause the underlying failure, if any
	 */
	public WebSocketException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
