package dev.wsinfra.server;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.wsinfra.internal.LogValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One registered session with its bounded outbound queue.
 * <p>
 * Any thread may queue a message. The queue is bounded by message count, by the encoded
 * bytes of its messages and by the time its oldest message has waited; past any of them
 * the slow-consumer policy applies. Exactly one drain runs at a time: whoever moves
 * {@code draining} from false to true owns it and hands the connection to the writer
 * pool, whose writer writes until the queue is empty; the thread that delivers the peer's
 * messages drains a reply itself instead. A connection whose write stalled is drained
 * with asynchronous writes, continued from each completion, so that no thread waits for
 * that peer again.
 */
final class Connection implements SessionTransport.Callback {

	private static final Log logger = LogFactory.getLog(Connection.class);

	/** {@link #offer} result: the message was not queued. */
	static final int REJECTED = 0;

	/** {@link #offer} result: queued behind a drain already under way. */
	static final int QUEUED = 1;

	/**
	 * {@link #offer} result: queued, and the caller must hand the connection to the
	 * writers.
	 */
	static final int READY = 2;

	/** No asynchronous write in flight. */
	private static final int IDLE = 0;

	/** {@code writeAsync} was called and has not returned yet. */
	private static final int WRITING = 1;

	/** {@code writeAsync} returned; its completion will continue the drain. */
	private static final int AWAITING_COMPLETION = 2;

	/**
	 * The completion arrived before {@code writeAsync} returned, or while the receiving
	 * thread waited for it; the drain loop goes on.
	 */
	private static final int COMPLETED_INLINE = 3;

	/**
	 * Messages at least this large are written asynchronously: a blocking write of them
	 * to a slow peer would hold a writer for as long as the whole message takes.
	 */
	static final int ASYNC_WRITE_THRESHOLD = 64 * 1024;

	private static final VarHandle HANDOFF;

	static {
		try {
			HANDOFF = MethodHandles.lookup().findVarHandle(Connection.class, "handoff", Queued.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	final String id;

	final String userId;

	final WebSocketSession session;

	final Instant connectedAt;

	final Map<String, Object> metadata;

	private final SessionTransport transport;

	private final int batchLimit;

	private final Owner owner;

	private final int queueLimit;

	private final long queueBytes;

	private final long maxDelayNanos;

	private final SlowConsumerPolicy policy;

	private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();

	// The message that found this connection idle, with nothing queued: it is not queued
	// but handed to the drain it starts, which takes it before the queue. Set by the
	// thread that took the drain, before it hands the connection over; taken once.
	@SuppressWarnings("unused") // through HANDOFF
	private volatile @Nullable Queued handoff;

	// Messages in the queue and their encoded bytes; may briefly exceed the queue by what
	// the offers under way add.
	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicBoolean draining = new AtomicBoolean();

	private final AtomicInteger asyncWriteState = new AtomicInteger(IDLE);

	// Set once a blocking write stalled: from then on the queue drains asynchronously.
	private volatile boolean asyncWrites;

	// The receiving thread waiting for the asynchronous write in flight, if one is.
	private volatile @Nullable Thread completionWaiter;

	// Set once, when the connection is to close after what is queued; no offer
	// after that.
	private volatile @Nullable CloseStatus pendingClose;

	// Set once, when the close was issued or the connection failed; nothing is
	// written after.
	private final AtomicBoolean closed = new AtomicBoolean();

	// The timer that closes the connection if a close after flush takes too long;
	// cancelled once the connection closes, so that the timer's queue does not hold a
	// closed connection, with its session and buffers, until the timeout.
	private volatile @Nullable Future<?> closeTimer;

	private volatile boolean droppingReported;

	// Held by a writer for its run of blocking writes. A close waits for the run to end:
	// closed in the middle of a batch, the container wrote the close frame into the
	// half-written frames or never flushed it.
	private final ReentrantLock writerRun = new ReentrantLock();

	private final long closeTimeoutNanos;

	Connection(String id, String userId, WebSocketSession session, Map<String, Object> metadata,
			SessionTransport transport, Owner owner, ConnectionManagerSettings settings) {
		this.id = id;
		this.userId = userId;
		this.session = session;
		this.connectedAt = Instant.now();
		this.metadata = Map.copyOf(metadata);
		this.transport = transport;
		this.batchLimit = transport.batchLimit();
		this.owner = owner;
		this.queueLimit = settings.outboundQueueLimit();
		this.queueBytes = settings.outboundQueueBytes();
		this.maxDelayNanos = settings.outboundMaxDelay().toNanos();
		this.policy = settings.slowConsumerPolicy();
		this.closeTimeoutNanos = settings.closeTimeout().toNanos();
	}

	/**
	 * Queues a message.
	 * @param queued the message with its size and time, made once for all its recipients
	 * @return {@link #REJECTED}, {@link #QUEUED}, or {@link #READY} when the caller took
	 * the drain and must hand this connection to the writers
	 */
	int offer(Queued queued) {
		if (this.pendingClose != null || this.closed.get()) {
			return REJECTED;
		}
		if (!this.draining.get() && this.queue.isEmpty() && this.draining.compareAndSet(false, true)) {
			if (this.queue.isEmpty()) {
				return handOff(queued);
			}
			// Queued meanwhile by another sender, which found the drain taken: behind it.
			// A rejection closed the connection, so the drain taken no longer matters.
			return (queueBehind(queued) != REJECTED) ? READY : REJECTED;
		}
		int result = queueBehind(queued);
		if (result == REJECTED) {
			return REJECTED;
		}
		return this.draining.compareAndSet(false, true) ? READY : QUEUED;
	}

	/**
	 * Hands a message to the drain the caller took, without the queue: the common case of
	 * a connection that keeps up, where a queue node would cost more than the write's
	 * bookkeeping.
	 */
	private int handOff(Queued queued) {
		this.queued.incrementAndGet();
		this.queuedBytes.addAndGet(queued.size);
		HANDOFF.setRelease(this, queued);
		if (this.closed.get() && HANDOFF.compareAndSet(this, queued, null)) {
			// Closed, and the queue discarded, while this offer was under way.
			release(queued);
			return REJECTED;
		}
		return READY;
	}

	/**
	 * Queues a message behind those queued, applying the limits.
	 * @return {@link #REJECTED} or {@link #QUEUED}
	 */
	private int queueBehind(Queued queued) {
		int size = queued.size;
		long now = queued.queuedAt;
		int count = this.queued.incrementAndGet();
		long bytes = this.queuedBytes.addAndGet(size);
		Overflow overflow = overflow(count, bytes, size, now);
		if (overflow != null) {
			if (this.policy == SlowConsumerPolicy.CLOSE) {
				this.queued.decrementAndGet();
				this.queuedBytes.addAndGet(-size);
				this.owner.slowConsumer(this, overflow);
				return REJECTED;
			}
			dropOldest(size, now);
		}
		this.queue.offer(queued);
		if (this.closed.get() && this.queue.remove(queued)) {
			// The connection closed, and discarded its queue, while this offer was
			// under way.
			release(queued);
			return REJECTED;
		}
		return QUEUED;
	}

	/**
	 * Returns what a message of the given size would overflow, counted with it.
	 */
	private @Nullable Overflow overflow(int count, long bytes, int size, long now) {
		if (count > this.queueLimit) {
			return Overflow.MESSAGES;
		}
		// A message larger than the whole budget still goes into an otherwise
		// empty queue.
		if (bytes > this.queueBytes && bytes > size) {
			return Overflow.BYTES;
		}
		return tooOld(oldest(), now) ? Overflow.DELAY : null;
	}

	private @Nullable Queued oldest() {
		Queued handoff = (Queued) HANDOFF.getAcquire(this);
		return (handoff != null) ? handoff : this.queue.peek();
	}

	private boolean tooOld(@Nullable Queued queued, long now) {
		return queued != null && this.maxDelayNanos > 0 && now - queued.queuedAt > this.maxDelayNanos;
	}

	/**
	 * Drops the oldest messages until one of the given size fits in count, bytes and
	 * delay.
	 */
	private void dropOldest(int size, long now) {
		while (overflow(this.queued.get(), this.queuedBytes.get(), size, now) != null) {
			Queued oldest = takeOldest();
			if (oldest == null) {
				return;
			}
			release(oldest);
			dropped();
		}
	}

	private void dropped() {
		this.owner.messageDropped(this);
		if (!this.droppingReported) {
			this.droppingReported = true;
			logger.warn("Dropping oldest queued messages for slow consumer " + describe());
		}
	}

	/** Takes the handed-off message if there is one, otherwise the head of the queue. */
	private @Nullable Queued takeOldest() {
		Queued handoff = (Queued) HANDOFF.getAcquire(this);
		if (handoff != null && HANDOFF.compareAndSet(this, handoff, null)) {
			return handoff;
		}
		return this.queue.poll();
	}

	private void release(Queued queued) {
		this.queued.decrementAndGet();
		this.queuedBytes.addAndGet(-queued.size);
	}

	/**
	 * Takes the next message to write; one that waited longer than the maximum delay
	 * closes the connection or is dropped, by policy.
	 * @param now the drain's {@link System#nanoTime()}, read once per run of writes: the
	 * limit is coarse, and a clock read per message would cost more than the rest of the
	 * queue
	 * @return the message, or {@code null} when the queue is empty or the connection
	 * closed
	 */
	private @Nullable OutboundMessage poll(long now) {
		Queued next;
		while ((next = takeOldest()) != null) {
			release(next);
			if (!tooOld(next, now)) {
				return next.message;
			}
			if (this.policy == SlowConsumerPolicy.CLOSE) {
				this.owner.slowConsumer(this, Overflow.DELAY);
				return null;
			}
			dropped();
		}
		return null;
	}

	/**
	 * Closes with the given status once everything queued so far has been written.
	 * @return whether the caller took the drain and must hand this connection to the
	 * writers
	 */
	boolean closeAfterFlush(CloseStatus status) {
		if (this.closed.get()) {
			return false;
		}
		this.pendingClose = status;
		return this.draining.compareAndSet(false, true);
	}

	/**
	 * Arms the timer that closes this connection at once if a close after flush takes too
	 * long; the timer is cancelled as soon as the connection closes.
	 * @param timer the scheduled close
	 */
	void armCloseTimer(Future<?> timer) {
		this.closeTimer = timer;
		// A close that ran before the timer was armed did not see it.
		if (this.closed.get()) {
			timer.cancel(false);
		}
	}

	/**
	 * Closes at once, dropping what is queued; the close itself runs on the owner's
	 * executor because it may wait for a peer that does not read.
	 */
	void closeNow(CloseStatus status) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		Future<?> timer = this.closeTimer;
		if (timer != null) {
			timer.cancel(false);
		}
		discardQueue();
		if (!this.session.isOpen()) {
			return;
		}
		this.owner.execute(() -> {
			boolean afterRun = awaitWriterRun();
			try {
				this.transport.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Close of " + describe() + " failed", ex);
			}
			finally {
				if (afterRun) {
					this.writerRun.unlock();
				}
			}
		});
	}

	/**
	 * Drains on the calling thread, which took the drain and is the thread that delivers
	 * the peer's messages: what it replies is written before the container reads the
	 * peer's next frame, as a handler writing to its session itself would. Every message
	 * is written asynchronously, and the thread waits for each write to complete, at most
	 * {@code maxWaitNanos} in all; past that, or at a ping (whose write blocks), the rest
	 * of the queue is drained from the completions or by the owner's executor, so that no
	 * container thread waits for a peer that does not read longer than that.
	 * @param maxWaitNanos the longest the caller may wait for the peer
	 * @return whether it did; {@code false} when the session has no asynchronous writes
	 * and the caller must hand the connection to the writers
	 */
	boolean drainOnCaller(long maxWaitNanos) {
		if (!this.transport.canWriteAsync()) {
			return false;
		}
		drainAsync(null, this.asyncWrites ? 0 : maxWaitNanos);
		return true;
	}

	/**
	 * Writes everything queued, on a writer thread that owns the drain: a run of messages
	 * as one batch, a lone message directly.
	 */
	void drainOnWriter(WriterPool.Writer writer) {
		boolean batching = false;
		long now = System.nanoTime();
		this.writerRun.lock();
		try {
			while (!this.closed.get()) {
				OutboundMessage next = this.asyncWrites ? null : poll(now);
				if (next == null) {
					if (this.closed.get()) {
						return;
					}
					if (batching) {
						batching = false;
						endWrites(writer);
					}
					if (this.asyncWrites) {
						drainAsync(null);
						return;
					}
					if (finishDrain()) {
						return;
					}
					continue;
				}
				if (next.size() >= ASYNC_WRITE_THRESHOLD && this.transport.canWriteAsync()) {
					if (batching) {
						batching = false;
						endWrites(writer);
					}
					drainAsync(next);
					return;
				}
				// A lone message goes straight out; a run of them is batched into
				// one system call, which costs the container an extra pass for a
				// single message. A large one ends the run: the container would copy
				// it through its buffer in several writes.
				boolean alone = next.encodedSize() >= this.batchLimit;
				if (batching && alone) {
					batching = false;
					endWrites(writer);
				}
				else if (!batching && !alone && this.queue.peek() != null) {
					this.transport.beginWrites();
					batching = true;
				}
				writer.beforeWrite();
				try {
					this.transport.write(next);
				}
				finally {
					writer.afterWrite();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			batching = false;
			failed(ex);
		}
		finally {
			if (batching) {
				// Closed during the run: what it gathered goes out before the close
				// frame.
				endWritesQuietly(writer);
			}
			this.writerRun.unlock();
		}
	}

	private void endWritesQuietly(WriterPool.Writer writer) {
		try {
			endWrites(writer);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Flushing the writes to " + describe() + " failed", ex);
		}
	}

	/**
	 * Waits until no writer is in a run of blocking writes, at most the close timeout,
	 * which also bounds each blocking write of a Jakarta session.
	 * @return whether the caller holds {@link #writerRun} and must unlock it
	 */
	private boolean awaitWriterRun() {
		try {
			return this.writerRun.tryLock(this.closeTimeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void endWrites(WriterPool.Writer writer) throws IOException {
		writer.beforeWrite();
		try {
			this.transport.endWrites();
		}
		finally {
			writer.afterWrite();
		}
	}

	/**
	 * A blocking write of this connection is taking too long: its peer reads too slowly
	 * or not at all. Later writes go asynchronous where the session allows it.
	 */
	void writeStalled() {
		if (this.transport.canWriteAsync() && !this.asyncWrites) {
			this.asyncWrites = true;
			logger.info("Writes to " + describe() + " stalled; switching it to asynchronous writes");
		}
	}

	/**
	 * Called with an empty queue by the drain owner.
	 * @return whether the drain is over; {@code false} when it must go on
	 */
	private boolean finishDrain() {
		if (this.closed.get()) {
			return true;
		}
		CloseStatus close = this.pendingClose;
		if (close != null) {
			// The queue may have been found empty just before a last offer and the close
			// came in: what was queued before the close still goes first.
			if (!this.queue.isEmpty()) {
				return false;
			}
			closeNow(close);
			return true;
		}
		this.draining.set(false);
		if (this.queue.isEmpty() && this.pendingClose == null) {
			return true;
		}
		return !this.draining.compareAndSet(false, true);
	}

	/**
	 * Writes asynchronously, one write in flight, each completion starting the next; ends
	 * the drain when the queue is empty.
	 * @param first a message already taken from the queue, written first
	 */
	private void drainAsync(@Nullable OutboundMessage first) {
		drainAsync(first, 0);
	}

	/**
	 * Writes asynchronously as {@link #drainAsync(OutboundMessage)} does; with a positive
	 * wait, the calling thread waits for each write to complete, up to that long in all,
	 * and goes on with the next message itself.
	 */
	private void drainAsync(@Nullable OutboundMessage first, long maxWaitNanos) {
		long now = System.nanoTime();
		long deadline = now + maxWaitNanos;
		boolean wait = maxWaitNanos > 0;
		OutboundMessage next = first;
		while (!this.closed.get()) {
			if (next == null) {
				next = poll(now);
				if (next == null) {
					if (finishDrain()) {
						return;
					}
					continue;
				}
			}
			if (wait && next.isPing()) {
				// A ping's write blocks: never on the receiving thread.
				OutboundMessage ping = next;
				this.owner.execute(() -> drainAsync(ping));
				return;
			}
			this.asyncWriteState.set(WRITING);
			try {
				this.transport.writeAsync(next, this);
			}
			catch (RuntimeException ex) {
				failed(ex);
				return;
			}
			next = null;
			if (wait && awaitCompletion(deadline)) {
				continue;
			}
			// The completion goes on with the drain. A completion that is merely late
			// (the container runs it on another of its threads) does not make the peer a
			// slow one.
			if (this.asyncWriteState.compareAndSet(WRITING, AWAITING_COMPLETION)) {
				return;
			}
		}
	}

	/**
	 * Waits until the write in flight completed, or the deadline passed.
	 * @return {@code true} if it completed and the caller goes on draining
	 */
	private boolean awaitCompletion(long deadline) {
		this.completionWaiter = Thread.currentThread();
		try {
			while (this.asyncWriteState.get() == WRITING) {
				long left = deadline - System.nanoTime();
				// An interrupted thread would not park: it stops waiting instead.
				if (left <= 0 || Thread.currentThread().isInterrupted()) {
					return false;
				}
				LockSupport.parkNanos(this, left);
			}
			return true;
		}
		finally {
			this.completionWaiter = null;
		}
	}

	@Override
	public void completed(@Nullable Throwable failure) {
		if (failure != null) {
			failed(failure);
		}
		if (this.asyncWriteState.compareAndSet(WRITING, COMPLETED_INLINE)) {
			Thread waiter = this.completionWaiter;
			if (waiter != null) {
				LockSupport.unpark(waiter);
			}
			return;
		}
		this.asyncWriteState.set(IDLE);
		if (failure == null) {
			drainAsync(null);
		}
	}

	private void failed(Throwable failure) {
		if (this.closed.get()) {
			return;
		}
		if (failure instanceof SocketTimeoutException || failure.getCause() instanceof SocketTimeoutException) {
			// The peer did not take a message within the write timeout: a slow consumer.
			this.owner.slowConsumer(this, Overflow.WRITE_TIMEOUT);
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Write to " + describe() + " failed", failure);
		}
		this.owner.connectionLost(this);
		closeNow(CloseStatuses.SERVER_ERROR);
	}

	private void discardQueue() {
		Queued queued;
		while ((queued = takeOldest()) != null) {
			release(queued);
		}
	}

	String describe() {
		return "connection " + this.id + " of user " + LogValues.escape(this.userId);
	}

	/**
	 * A queued message, its encoded size and when it was queued, in nanotime; one for all
	 * the connections a message is sent to.
	 */
	record Queued(OutboundMessage message, int size, long queuedAt) {

		static Queued of(OutboundMessage message, long now) {
			return new Queued(message, message.encodedSize(), now);
		}

	}

	/** What made a peer count as a slow consumer. */
	enum Overflow {

		/** Its queue held more messages than the limit. */
		MESSAGES,

		/** Its queue held more bytes than the budget. */
		BYTES,

		/** A message waited in its queue longer than the maximum delay. */
		DELAY,

		/** It took no message within the write timeout. */
		WRITE_TIMEOUT

	}

	/** What a connection needs from its manager. */
	interface Owner {

		/**
		 * The peer reads too slowly: its queue overflowed under
		 * {@link SlowConsumerPolicy#CLOSE}, or a write to it timed out.
		 */
		void slowConsumer(Connection connection, Overflow overflow);

		/** A queued message was dropped under {@link SlowConsumerPolicy#DROP_OLDEST}. */
		void messageDropped(Connection connection);

		/** A write failed: the peer is gone. */
		void connectionLost(Connection connection);

		/** Runs a task that may block, such as a close. */
		void execute(Runnable task);

	}

}
