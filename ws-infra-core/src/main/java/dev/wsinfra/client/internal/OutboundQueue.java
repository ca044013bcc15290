package dev.wsinfra.client.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Messages the application sent that are not written yet, at most {@code limit} of them
 * including the one being written. One message is written at a time, in the order they
 * were offered, so sends from many threads never interleave; the next write starts from
 * the completion of the previous one, so no thread waits on a slow peer.
 */
public final class OutboundQueue {

	/**
	 * Writes one message to the transport.
	 */
	public interface Writer {

		/**
		 * Starts writing a message.
		 * @param message a {@link String} or a {@link java.nio.ByteBuffer}
		 * @param done called once, possibly before this method returns, with {@code null}
		 * when the message was written or with the failure
		 */
		void write(Object message, Consumer<@Nullable Throwable> done);

	}

	private static final int WRITING = 0;

	private static final int RETURNED = 1;

	private static final int COMPLETED = 2;

	private final int limit;

	private final Writer writer;

	private final Consumer<Throwable> onFailure;

	private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();

	// Queued plus in flight; the limit applies to it.
	private final AtomicInteger pending = new AtomicInteger();

	// Held by the one thread that may start a write.
	private final AtomicBoolean writing = new AtomicBoolean();

	private final Object drainedMonitor = new Object();

	private volatile boolean discarded;

	/**
	 * Creates a queue.
	 * @param limit the most messages held, including the one being written
	 * @param writer the transport
	 * @param onFailure told once of the first failed write, after the queue is discarded
	 */
	public OutboundQueue(int limit, Writer writer, Consumer<Throwable> onFailure) {
		this.limit = limit;
		this.writer = writer;
		this.onFailure = onFailure;
	}

	/**
	 * Queues a message and starts writing it if nothing else is being written.
	 * @param message a {@link String} or a {@link java.nio.ByteBuffer} the queue may keep
	 * @return {@code false} when the queue is full and the message was not taken; once
	 * the queue is discarded, messages are taken and dropped
	 */
	public boolean offer(Object message) {
		int current;
		do {
			current = this.pending.get();
			if (current >= this.limit) {
				return false;
			}
		}
		while (!this.pending.compareAndSet(current, current + 1));
		this.queue.add(message);
		if (this.discarded && this.queue.remove(message)) {
			release();
			return true;
		}
		drain();
		return true;
	}

	private void drain() {
		while (!this.queue.isEmpty() && this.writing.compareAndSet(false, true)) {
			Object next = this.queue.poll();
			if (next == null || this.discarded) {
				if (next != null) {
					release();
				}
				this.writing.set(false);
				continue;
			}
			AtomicInteger phase = new AtomicInteger(WRITING);
			try {
				this.writer.write(next, (failure) -> {
					written(failure);
					if (!phase.compareAndSet(WRITING, COMPLETED)) {
						this.writing.set(false);
						drain();
					}
				});
			}
			catch (RuntimeException ex) {
				if (phase.compareAndSet(WRITING, COMPLETED)) {
					written(ex);
				}
			}
			if (phase.compareAndSet(WRITING, RETURNED)) {
				return;
			}
			// completed before write returned: continue here rather than recursing
			this.writing.set(false);
		}
	}

	private void written(@Nullable Throwable failure) {
		release();
		if (failure != null && !this.discarded) {
			discard();
			this.onFailure.accept(failure);
		}
	}

	private void release() {
		if (this.pending.decrementAndGet() == 0) {
			synchronized (this.drainedMonitor) {
				this.drainedMonitor.notifyAll();
			}
		}
	}

	/**
	 * Drops every message not yet being written; later offers are dropped too.
	 */
	public void discard() {
		this.discarded = true;
		while (this.queue.poll() != null) {
			release();
		}
	}

	/**
	 * Waits until every message offered has been written.
	 * @param deadline a {@link System#nanoTime()} value to wait until at most
	 * @return {@code true} when nothing is left to write
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitDrained(long deadline) throws InterruptedException {
		synchronized (this.drainedMonitor) {
			while (this.pending.get() > 0) {
				long wait = deadline - System.nanoTime();
				if (wait <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.drainedMonitor, wait);
			}
			return true;
		}
	}

	/**
	 * Returns the number of messages accepted and not yet written.
	 * @return the count, 0 once discarded
	 */
	public int size() {
		return this.discarded ? 0 : this.pending.get();
	}

}
