package dev.wsinfra.endpoint;

import java.util.Objects;

/**
 * Thrown by a {@link WsRequestHandler} to answer a request with an error reply of its
 * code and message: {@code {"type":"ws.reply","id",...,"error":{"code","message"}}}. The
 * message is sent to the client.
 *
 * @since 0.1.0
 */
public class WsRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String code;

	/**
	 * Creates an exception.
	 * @param code the error code, such as {@code not_found}
	 * @param message what went wrong, sent to the client
	 */
	public WsRequestException(String code, String message) {
		super(message);
		this.code = Objects.requireNonNull(code, "code must not be null");
	}

	/**
	 * Returns the error code.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

}
