package dev.wsinfra.client;

import dev.wsinfra.WebSocketMessage;

/**
 * Receives a client's messages and events instead of the blocking {@code recv} methods.
 * <p>
 * Calls never overlap and come in order: messages, at most one error, then
 * {@code onClose}, exactly once when the connection ends (the last call).
 * {@code onMessage} runs on the transport's reading thread, possibly before
 * {@link WebSocketClient#connect()} returns; while it runs nothing more is read from the
 * socket, which slows the peer down rather than buffering, and keepalive does not count
 * that time against the peer. The other methods run on whichever thread observed the
 * event. A listener that throws from {@code onMessage} fails the connection: it is closed
 * with 1011 and the exception goes to {@code onError}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WebSocketListener {

	/**
	 * Called for each message received.
	 * @param client the client that received it
	 * @param message the message
	 */
	void onMessage(WebSocketClient client, WebSocketMessage message);

	/**
	 * Called once when the connection has ended, whoever closed it.
	 * @param client the client
	 * @param code the close code: the peer's, the one this client sent, or 1006 when the
	 * connection dropped without a close frame
	 * @param reason the close reason, empty when none was given
	 */
	default void onClose(WebSocketClient client, int code, String reason) {
	}

	/**
	 * Called when something fails: a message over the size limit
	 * ({@link dev.wsinfra.MessageTooLargeException}, then a close with 1009), a failed
	 * write, or this listener throwing. {@code onClose} follows.
	 * @param client the client
	 * @param error what failed
	 */
	default void onError(WebSocketClient client, Throwable error) {
	}

}
