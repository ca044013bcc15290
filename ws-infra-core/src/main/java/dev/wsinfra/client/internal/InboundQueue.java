package dev.wsinfra.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.WebSocketMessage;
import org.jspecify.annotations.Nullable;

/**
 * Received messages waiting for the application, at most {@code capacity} of them. When
 * it is full, {@link #offer} blocks the transport's reading thread until the application
 * takes a message, so nothing more is read from the socket and TCP flow control slows the
 * peer down: backpressure instead of unbounded memory.
 * <p>
 * After the messages come, in order, at most one failure and then the end of the
 * connection.
 */
public final class InboundQueue {

	/**
	 * How the connection ended.
	 *
	 * @param code the close code
	 * @param reason the close reason
	 * @param cause what closed it, if anything failed
	 * @param clean whether iteration ends quietly rather than with an exception
	 */
	public record End(int code, String reason, @Nullable Throwable cause, boolean clean) {

		/**
		 * Returns a new exception describing this end, thrown at the caller's stack.
		 * @return the exception
		 */
		public ConnectionClosedException toException() {
			return new ConnectionClosedException(this.code, this.reason, this.cause);
		}

	}

	private final int capacity;

	private final ReadPause pause;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	private final Condition notFull = this.lock.newCondition();

	// Guarded by lock: WebSocketMessage or RuntimeException items.
	private final ArrayDeque<Object> items = new ArrayDeque<>();

	private int messages;

	private boolean accepting = true;

	private @Nullable End end;

	/**
	 * Creates a queue.
	 * @param capacity the most messages held
	 * @param pause marked while {@link #offer} waits
	 */
	public InboundQueue(int capacity, ReadPause pause) {
		this.capacity = capacity;
		this.pause = pause;
	}

	/**
	 * Adds a message, waiting while the queue is full.
	 * @param message the message
	 * @return {@code false} when the queue no longer accepts messages and it was dropped
	 */
	public boolean offer(WebSocketMessage message) {
		this.lock.lock();
		try {
			if (this.accepting && this.messages >= this.capacity) {
				this.pause.pause();
				try {
					while (this.accepting && this.messages >= this.capacity) {
						this.notFull.await();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
				finally {
					this.pause.resume();
				}
			}
			if (!this.accepting) {
				return false;
			}
			this.items.add(message);
			this.messages++;
			this.notEmpty.signal();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Adds a failure after the messages already queued, whatever the capacity, and stops
	 * accepting messages.
	 * @param failure what the next reader gets once the earlier messages are taken
	 */
	public void fail(RuntimeException failure) {
		this.lock.lock();
		try {
			if (this.end == null && this.accepting) {
				this.items.add(failure);
				stop();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Stops accepting messages: a waiting {@link #offer} returns, later ones drop theirs.
	 * Messages already queued stay readable.
	 */
	public void stopAccepting() {
		this.lock.lock();
		try {
			stop();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Records how the connection ended; the first call wins.
	 * @param end the end, delivered after every queued item
	 */
	public void end(End end) {
		this.lock.lock();
		try {
			if (this.end == null) {
				this.end = end;
			}
			stop();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void stop() {
		this.accepting = false;
		this.notFull.signalAll();
		this.notEmpty.signalAll();
	}

	/**
	 * Takes the next item, waiting for one.
	 * @param timeoutNanos how long to wait, or a negative value to wait for ever
	 * @return a {@link WebSocketMessage}, a {@link RuntimeException} or an {@link End},
	 * or {@code null} when the time ran out
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public @Nullable Object take(long timeoutNanos) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			long remaining = timeoutNanos;
			while (this.items.isEmpty() && this.end == null) {
				if (timeoutNanos < 0) {
					this.notEmpty.await();
				}
				else if (remaining <= 0) {
					return null;
				}
				else {
					remaining = this.notEmpty.awaitNanos(remaining);
				}
			}
			Object item = this.items.poll();
			if (item == null) {
				return this.end;
			}
			if (item instanceof WebSocketMessage) {
				this.messages--;
				this.notFull.signal();
			}
			return item;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the next message, waiting for one, and turns the rest into what a reader
	 * sees.
	 * @param timeoutNanos how long to wait, or a negative value to wait for ever
	 * @param quietAtCleanEnd whether a clean end returns {@code null} rather than
	 * throwing
	 * @return the message, or {@code null} when the time ran out or at a quiet end
	 * @throws RuntimeException the failure queued after the messages
	 * @throws dev.wsinfra.ConnectionClosedException at the end, unless it is quiet
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public @Nullable WebSocketMessage next(long timeoutNanos, boolean quietAtCleanEnd) throws InterruptedException {
		Object item = take(timeoutNanos);
		if (item == null || item instanceof WebSocketMessage) {
			return (WebSocketMessage) item;
		}
		if (item instanceof RuntimeException failure) {
			throw failure;
		}
		End ended = (End) item;
		if (quietAtCleanEnd && ended.clean()) {
			return null;
		}
		throw ended.toException();
	}

	/**
	 * Returns the number of messages waiting.
	 * @return the count
	 */
	public int size() {
		this.lock.lock();
		try {
			return this.messages;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Returns how the connection ended.
	 * @return the end, or {@code null} while it has not
	 */
	public @Nullable End end() {
		this.lock.lock();
		try {
			return this.end;
		}
		finally {
			this.lock.unlock();
		}
	}

}
