package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * The session the handler of an unmanaged endpoint gets, so that the handler's writes and
 * the library's (error messages, refresh replies, the shutdown notice) take turns: the
 * container refuses a data frame while another one is being written. Writers get their
 * turn in the order they asked for it, and each write blocks as a write to the
 * container's session does, up to its send timeout. A message the handler sends in parts
 * keeps the turn from its first part to its last, so that nothing is written between its
 * parts. The library waits for its turn at most as long as a write may take, and then
 * gives up its message. Control frames need no turn.
 * <p>
 * The principal, the attributes and the id are the session's own; the container's session
 * is {@code WebSocketSessionDecorator.unwrap(session)}.
 */
final class SingleWriterSession extends WebSocketSessionDecorator {

	private final Semaphore turn = new Semaphore(1, true);

	private final Duration ownWait;

	// Written by the writer that holds the turn: whether it keeps it for the next part.
	private volatile boolean inParts;

	SingleWriterSession(WebSocketSession delegate, Duration ownWait) {
		super(delegate);
		this.ownWait = ownWait;
	}

	/**
	 * Sends a message of the handler's, waiting for the turn unless the message continues
	 * one the handler is sending in parts.
	 */
	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		if (message instanceof PingMessage || message instanceof PongMessage) {
			super.sendMessage(message);
			return;
		}
		// Blocks as a write does: the writer ahead is bounded by the container's timeout.
		if (!this.inParts && !takeTurn(Long.MAX_VALUE)) {
			throw new IOException("No turn to write to WebSocket session " + getId());
		}
		boolean keepTurn = false;
		try {
			super.sendMessage(message);
			keepTurn = !message.isLast();
		}
		finally {
			this.inParts = keepTurn;
			if (!keepTurn) {
				this.turn.release();
			}
		}
	}

	/**
	 * Sends a whole message of the library's, always waiting for the turn, but not longer
	 * than a write may take.
	 * @throws IOException when the write failed, or the turn did not come in time
	 */
	void sendOwn(WebSocketMessage<?> message) throws IOException {
		if (!takeTurn(this.ownWait.toNanos())) {
			throw new IOException("No turn to write to WebSocket session " + getId() + " within " + this.ownWait);
		}
		try {
			super.sendMessage(message);
		}
		finally {
			this.turn.release();
		}
	}

	private boolean takeTurn(long waitNanos) throws InterruptedIOException {
		try {
			return this.turn.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while waiting to write to WebSocket session " + getId());
		}
	}

}
