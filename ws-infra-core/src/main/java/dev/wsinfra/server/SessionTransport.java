package dev.wsinfra.server;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Writes messages to one session, one at a time, reporting each completion.
 */
interface SessionTransport {

	/**
	 * Starts writing a message. Never called again before {@code callback} was told.
	 * @param message the message
	 * @param callback told once when the write completed or failed, on any thread,
	 * possibly before this method returns
	 */
	void send(OutboundMessage message, Callback callback);

	/**
	 * Closes the session; may block up to the transport's write timeout when the peer does
	 * not read.
	 * @param status the close status
	 * @throws IOException if the close frame could not be written
	 */
	void close(CloseStatus status) throws IOException;

	/** Completion of one write. */
	@FunctionalInterface
	interface Callback {

		void completed(@Nullable Throwable failure);

	}

}
