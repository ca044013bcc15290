package dev.wsinfra.samples.support;

/**
 * A message that is valid JSON but not what the endpoint expects: answered with
 * {@code {"type":"error","error":<code>,"message":<message>}} to the connection that sent
 * it, which stays open. Thrown while a connection opens, from
 * {@link dev.wsinfra.endpoint.WsConnectionMetadata#metadata}, it refuses the connection
 * with 1008.
 */
public class InvalidMessageException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String code;

	/**
	 * Creates an exception.
	 * @param code the machine-readable error code, such as {@code unknown_type}
	 * @param message what was wrong, for people
	 */
	public InvalidMessageException(String code, String message) {
		super(message);
		this.code = code;
	}

	/**
	 * Returns the error code.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

}
