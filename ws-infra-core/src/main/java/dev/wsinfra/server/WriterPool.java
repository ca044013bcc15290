package dev.wsinfra.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.wsinfra.internal.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The threads that write to connections.
 * <p>
 * A send queues its message on each recipient and hands the connections that were idle to
 * this pool in batches; the writer threads share a batch through an index, each taking
 * the next connection and writing everything queued for it. Writes block, which is cheap
 * while a socket has room: no hand-off per message, one system call per message.
 * <p>
 * A peer that stops reading makes a write block. A watchdog notices a write older than
 * the stall threshold, moves that connection to asynchronous writes for good, and starts
 * a thread to stand in for the blocked one, so the other connections are not held up. The
 * stand-in retires once the blocked writer returns.
 */
final class WriterPool {

	private static final Log logger = LogFactory.getLog(WriterPool.class);

	private final int parallelism;

	private final int maxWriters;

	private final long stallThresholdNanos;

	private final ConcurrentLinkedQueue<Batch> batches = new ConcurrentLinkedQueue<>();

	private final List<Writer> writers = new CopyOnWriteArrayList<>();

	// Writers started and not retired; a writer retires only by decrementing it.
	private final AtomicInteger liveWriters = new AtomicInteger();

	private final AtomicInteger stalledWriters = new AtomicInteger();

	// Connections handed to writers whose drain has neither finished nor been written off
	// as stalled; flush() waits for it to reach zero.
	private final AtomicLong pending = new AtomicLong();

	private final ReentrantLock idleLock = new ReentrantLock();

	private final Condition idle = this.idleLock.newCondition();

	private final AtomicInteger idleWaiters = new AtomicInteger();

	private volatile boolean running = true;

	WriterPool(int parallelism, Duration stallThreshold) {
		this.parallelism = parallelism;
		this.maxWriters = parallelism + Math.max(64, parallelism * 8);
		this.stallThresholdNanos = stallThreshold.toNanos();
	}

	/**
	 * Hands connections that have something queued to the writers.
	 * @param connections the connections, each ready (its drain flag taken by the caller)
	 * @param count how many entries of the array are used
	 */
	void submit(Connection[] connections, int count) {
		if (count == 0) {
			return;
		}
		this.pending.addAndGet(count);
		this.batches.offer(new Batch(connections, count));
		ensureWriters();
		int wake = count;
		for (Writer writer : this.writers) {
			if (wake == 0) {
				break;
			}
			if (writer.parked) {
				LockSupport.unpark(writer.thread);
				wake--;
			}
		}
	}

	void submit(Connection connection) {
		submit(new Connection[] { connection }, 1);
	}

	/**
	 * Waits until every connection handed to the writers so far has been drained, except
	 * those whose writes stalled.
	 * @return {@code false} if the timeout passed first
	 */
	boolean awaitIdle(Duration timeout) throws InterruptedException {
		if (this.pending.get() == 0) {
			return true;
		}
		long remaining = timeout.toNanos();
		this.idleWaiters.incrementAndGet();
		this.idleLock.lock();
		try {
			while (this.pending.get() > 0) {
				if (remaining <= 0) {
					return false;
				}
				remaining = this.idle.awaitNanos(remaining);
			}
			return true;
		}
		finally {
			this.idleLock.unlock();
			this.idleWaiters.decrementAndGet();
		}
	}

	/**
	 * Finds writes blocked longer than the threshold; called periodically.
	 */
	void checkStalls() {
		long now = System.nanoTime();
		for (Writer writer : this.writers) {
			long stamp = writer.writeStamp;
			Connection connection = writer.current;
			long drain = writer.drain.get();
			long since = writer.writeStartedAt;
			if (stamp == 0 || connection == null || writer.writeStamp != stamp
					|| now - since <= this.stallThresholdNanos) {
				continue;
			}
			if (!writer.stalledStamp.compareAndSet(0, stamp)) {
				continue;
			}
			// Counted as soon as the stamp is set: whoever clears the stamp, the writer
			// when its write ends or this check below, takes it off the count again,
			// exactly once.
			this.stalledWriters.incrementAndGet();
			if (writer.writeStamp != stamp) {
				// The write ended meanwhile: nothing stalled after all.
				if (writer.stalledStamp.compareAndSet(stamp, 0)) {
					this.stalledWriters.decrementAndGet();
				}
				continue;
			}
			connection.writeStalled();
			release(writer, drain);
			ensureWriters();
		}
	}

	void shutdown() {
		this.running = false;
		for (Writer writer : this.writers) {
			LockSupport.unpark(writer.thread);
		}
	}

	private void ensureWriters() {
		for (;;) {
			int live = this.liveWriters.get();
			if (!this.running || live - this.stalledWriters.get() >= this.parallelism || live >= this.maxWriters) {
				return;
			}
			if (this.liveWriters.compareAndSet(live, live + 1)) {
				Writer writer = new Writer();
				this.writers.add(writer);
				writer.thread.start();
			}
		}
	}

	/**
	 * Retires the calling writer if there are more writers than needed, by taking one off
	 * the live count, so that several surplus writers never all retire at once.
	 */
	private boolean retireIfSurplus() {
		for (;;) {
			int live = this.liveWriters.get();
			if (live - this.stalledWriters.get() <= this.parallelism) {
				return false;
			}
			if (this.liveWriters.compareAndSet(live, live - 1)) {
				return true;
			}
		}
	}

	/**
	 * Stops counting a writer's drain as pending, once: the writer when the drain ends
	 * and the watchdog when it writes the drain off race for it.
	 */
	private void release(Writer writer, long drain) {
		if (drain != 0 && writer.drain.compareAndSet(drain, 0)) {
			released();
		}
	}

	private void released() {
		if (this.pending.decrementAndGet() == 0 && this.idleWaiters.get() > 0) {
			this.idleLock.lock();
			try {
				this.idle.signalAll();
			}
			finally {
				this.idleLock.unlock();
			}
		}
	}

	private @Nullable Connection next() {
		Batch batch;
		while ((batch = this.batches.peek()) != null) {
			int index = batch.next.getAndIncrement();
			if (index < batch.count) {
				return batch.connections[index];
			}
			this.batches.remove(batch);
		}
		return null;
	}

	/**
	 * Connections that became ready in one send, shared by the writers through an index.
	 */
	private static final class Batch {

		final Connection[] connections;

		final int count;

		final AtomicInteger next = new AtomicInteger();

		Batch(Connection[] connections, int count) {
			this.connections = connections;
			this.count = count;
		}

	}

	/** One writer thread; publishes the write it is in for the watchdog. */
	final class Writer implements Runnable {

		final Thread thread;

		// The connection being drained, the number of the drain while it counts as
		// pending (0 once it does not), the stamp of the write under way (0 between
		// writes) and when it started; written by this writer, read by the watchdog.
		volatile @Nullable Connection current;

		final AtomicLong drain = new AtomicLong();

		volatile long writeStamp;

		volatile long writeStartedAt;

		// The stamp of a write the watchdog found stalled, 0 if none; cleared by
		// this writer.
		final AtomicLong stalledStamp = new AtomicLong();

		volatile boolean parked;

		private long writes;

		private long drains;

		Writer() {
			this.thread = DaemonThreads.newThread("ws-infra-writer", this);
		}

		@Override
		public void run() {
			boolean retired = false;
			try {
				while (WriterPool.this.running && !(retired = retireIfSurplus())) {
					Connection connection = next();
					if (connection == null) {
						park();
						continue;
					}
					long drain = ++this.drains;
					this.drain.set(drain);
					this.current = connection;
					try {
						connection.drainOnWriter(this);
					}
					catch (RuntimeException ex) {
						logger.error("Writer failed on " + connection.describe(), ex);
					}
					finally {
						this.current = null;
						release(this, drain);
					}
				}
			}
			finally {
				if (!retired) {
					WriterPool.this.liveWriters.decrementAndGet();
				}
				WriterPool.this.writers.remove(this);
				if (WriterPool.this.running && !WriterPool.this.batches.isEmpty()) {
					ensureWriters();
				}
			}
		}

		void beforeWrite() {
			this.writeStartedAt = System.nanoTime();
			this.writeStamp = ++this.writes;
		}

		void afterWrite() {
			this.writeStamp = 0;
			// Read before the exchange, which would cost a locked instruction per write:
			// a watchdog that marks the write after this read sees the stamp cleared and
			// unmarks it itself.
			if (this.stalledStamp.get() != 0 && this.stalledStamp.getAndSet(0) != 0) {
				WriterPool.this.stalledWriters.decrementAndGet();
			}
		}

		private void park() {
			this.parked = true;
			try {
				if (WriterPool.this.batches.isEmpty() && WriterPool.this.running) {
					LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
				}
			}
			finally {
				this.parked = false;
			}
		}

	}

}
