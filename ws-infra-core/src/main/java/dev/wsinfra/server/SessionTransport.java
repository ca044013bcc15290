package dev.wsinfra.server;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Writes messages to one session, one at a time: blocking writes on the manager's writer
 * threads, and, where the container offers it, asynchronous writes for a connection whose
 * peer stopped reading, for large messages, and for replies written by the thread that
 * received the peer's message.
 */
interface SessionTransport {

	/**
	 * Writes a message, blocking until the container accepted it; returns at once while
	 * the socket has room, and waits up to the container's write timeout when the peer
	 * does not read.
	 * @param message the message
	 * @throws IOException if the write failed or timed out
	 */
	void write(OutboundMessage message) throws IOException;

	/**
	 * Returns the size from which a message is better written on its own than in a run of
	 * batched writes.
	 * @return the size in encoded bytes; {@link Integer#MAX_VALUE} to batch every message
	 */
	int batchLimit();

	/**
	 * Starts a run of writes that the transport may gather into fewer system calls; every
	 * {@link #write} until {@link #endWrites()} belongs to it.
	 * @throws IOException if the transport could not switch
	 */
	void beginWrites() throws IOException;

	/**
	 * Ends a run of writes, writing whatever was gathered; blocks like {@link #write}.
	 * @throws IOException if the write failed or timed out
	 */
	void endWrites() throws IOException;

	/**
	 * Returns whether {@link #writeAsync} is available.
	 * @return {@code true} for sessions of a Jakarta WebSocket container
	 */
	boolean canWriteAsync();

	/**
	 * Starts writing a message without blocking.
	 * @param message the message
	 * @param callback told once when the write completed or failed, on any thread,
	 * possibly before this method returns
	 */
	void writeAsync(OutboundMessage message, Callback callback);

	/**
	 * Closes the session; may block up to the container's write timeout when the peer
	 * does not read.
	 * @param status the close status
	 * @throws IOException if the close frame could not be written
	 */
	void close(CloseStatus status) throws IOException;

	/** Completion of one asynchronous write. */
	@FunctionalInterface
	interface Callback {

		void completed(@Nullable Throwable failure);

	}

}
