package dev.wsinfra;

/**
 * Thrown when a message exceeds the configured maximum size, received or about to be
 * sent. A received message over the limit closes the connection with 1009.
 *
 * @since 0.1.0
 */
public class MessageTooLargeException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final long size;

	private final long limit;

	/**
	 * Creates an exception for a message of {@code size} bytes against a limit.
	 * @param size the size of the message in bytes (at least the part seen so far)
	 * @param limit the configured maximum in bytes
	 */
	public MessageTooLargeException(long size, long limit) {
		super("Message of " + size + " bytes exceeds the limit of " + limit + " bytes");
		this.size = size;
		this.limit = limit;
	}

	/**
	 * Returns the size of the offending message.
	 * @return the size in bytes (at least the part seen when the limit was crossed)
	 */
	public long size() {
		return this.size;
	}

	/**
	 * Returns the configured limit.
	 * @return the limit in bytes
	 */
	public long limit() {
		return this.limit;
	}

}
