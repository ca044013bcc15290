package dev.wsinfra.client;

import dev.wsinfra.WebSocketException;

/**
 * Thrown by a send when the client already holds
 * {@link dev.wsinfra.config.WebSocketConfig#maxSendQueueSize() maxSendQueueSize} messages
 * that are not written yet: the application is sending faster than the network or the
 * peer takes them. Nothing was queued; the connection stays open, so the send may be
 * tried again once {@link WebSocketClient#queueSize()} has gone down.
 *
 * @since 0.1.0
 */
public class SendQueueFullException extends WebSocketException {

	private static final long serialVersionUID = 1L;

	private final int limit;

	/**
	 * Creates an exception for a full send queue.
	 * @param limit the configured limit
	 */
	public SendQueueFullException(int limit) {
		super("Send queue is full: " + limit + " messages are waiting to be written");
		this.limit = limit;
	}

	/**
	 * Returns the configured limit.
	 * @return the number of messages the queue holds at most
	 */
	public int limit() {
		return this.limit;
	}

}
