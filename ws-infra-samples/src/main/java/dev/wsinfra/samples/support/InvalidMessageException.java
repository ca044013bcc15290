package dev.wsinfra.samples.support;

/**
 * A message that is valid JSON but not what the endpoint expects: answered with
 * {@code {"type":"error","error":<code>,"message":<message>}} to the connection that sent it,
 * which stays open.
 */
public class InvalidMessageException extends RuntimeException {

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
