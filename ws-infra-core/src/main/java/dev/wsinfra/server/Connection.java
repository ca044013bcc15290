package dev.wsinfra.server;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * One registered session with its bounded outbound queue.
 * <p>
 * Any thread may enqueue. Exactly one thread at a time drains: the one that moved
 * {@code draining} from false to true, then the completion of each write, so messages leave
 * in order, one write in flight, and no thread ever waits for the peer.
 */
final class Connection implements SessionTransport.Callback {

	private static final Log logger = LogFactory.getLog(Connection.class);

	/** No write in flight. */
	private static final int IDLE = 0;

	/** {@code transport.send} was called and has not returned yet. */
	private static final int WRITING = 1;

	/** {@code transport.send} returned; its completion will continue the drain. */
	private static final int AWAITING_COMPLETION = 2;

	/** The completion arrived before {@code transport.send} returned; the drain loop goes on. */
	private static final int COMPLETED_INLINE = 3;

	final String id;

	final String userId;

	final WebSocketSession session;

	final Instant connectedAt;

	final Map<String, Object> metadata;

	private final SessionTransport transport;

	private final Owner owner;

	private final int queueLimit;

	private final SlowConsumerPolicy policy;

	private final ConcurrentLinkedQueue<OutboundMessage> queue = new ConcurrentLinkedQueue<>();

	// Messages in the queue; may briefly exceed the queue by one while an offer is under way.
	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicBoolean draining = new AtomicBoolean();

	private final AtomicInteger writeState = new AtomicInteger(IDLE);

	// Set once, when the connection is to close after what is queued; no enqueue after that.
	private volatile @Nullable CloseStatus pendingClose;

	// Set once, when the close was issued or the connection failed; nothing is written after.
	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile boolean droppingReported;

	Connection(String id, String userId, WebSocketSession session, Map<String, Object> metadata,
			SessionTransport transport, Owner owner, int queueLimit, SlowConsumerPolicy policy) {
		this.id = id;
		this.userId = userId;
		this.session = session;
		this.connectedAt = Instant.now();
		this.metadata = Map.copyOf(metadata);
		this.transport = transport;
		this.owner = owner;
		this.queueLimit = queueLimit;
		this.policy = policy;
	}

	/**
	 * Queues a message and starts draining if no drain is under way.
	 * @return whether the message was accepted
	 */
	boolean enqueue(OutboundMessage message) {
		if (this.pendingClose != null || this.closed.get()) {
			return false;
		}
		if (this.queued.incrementAndGet() > this.queueLimit) {
			if (this.policy == SlowConsumerPolicy.CLOSE) {
				this.queued.decrementAndGet();
				this.owner.slowConsumer(this);
				return false;
			}
			if (this.queue.poll() != null) {
				this.queued.decrementAndGet();
				this.owner.messageDropped(this);
				if (!this.droppingReported) {
					this.droppingReported = true;
					logger.warn("Dropping oldest queued messages for slow consumer " + describe());
				}
			}
		}
		this.queue.offer(message);
		if (this.draining.compareAndSet(false, true)) {
			drain();
		}
		return true;
	}

	/**
	 * Closes with the given status once everything queued so far has been written.
	 */
	void closeAfterFlush(CloseStatus status) {
		if (this.closed.get()) {
			return;
		}
		this.pendingClose = status;
		if (this.draining.compareAndSet(false, true)) {
			drain();
		}
	}

	/**
	 * Closes at once, dropping what is queued; the close itself runs on the owner's executor
	 * because it may wait for a peer that does not read.
	 */
	void closeNow(CloseStatus status) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		discardQueue();
		if (!this.session.isOpen()) {
			return;
		}
		this.owner.execute(() -> {
			try {
				this.transport.close(status);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Close of " + describe() + " failed", ex);
			}
		});
	}

	boolean isClosed() {
		return this.closed.get();
	}

	int queued() {
		return this.queued.get();
	}

	private void drain() {
		while (!this.closed.get()) {
			OutboundMessage next = this.queue.poll();
			if (next == null) {
				CloseStatus close = this.pendingClose;
				if (close != null) {
					closeNow(close);
					return;
				}
				this.draining.set(false);
				if (this.queue.isEmpty() && this.pendingClose == null) {
					return;
				}
				if (!this.draining.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			this.queued.decrementAndGet();
			this.writeState.set(WRITING);
			try {
				this.transport.send(next, this);
			}
			catch (RuntimeException ex) {
				failed(ex);
				return;
			}
			if (this.writeState.compareAndSet(WRITING, AWAITING_COMPLETION)) {
				return;
			}
		}
	}

	@Override
	public void completed(@Nullable Throwable failure) {
		if (failure != null) {
			failed(failure);
		}
		if (this.writeState.compareAndSet(WRITING, COMPLETED_INLINE)) {
			return;
		}
		this.writeState.set(IDLE);
		if (failure == null) {
			drain();
		}
	}

	private void failed(Throwable failure) {
		if (this.closed.get()) {
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Write to " + describe() + " failed", failure);
		}
		this.owner.connectionLost(this);
		closeNow(CloseStatuses.SERVER_ERROR);
	}

	private void discardQueue() {
		while (this.queue.poll() != null) {
			this.queued.decrementAndGet();
		}
	}

	String describe() {
		return "connection " + this.id + " of user " + this.userId;
	}

	/** What a connection needs from its manager. */
	interface Owner {

		/** The queue overflowed under {@link SlowConsumerPolicy#CLOSE}. */
		void slowConsumer(Connection connection);

		/** A queued message was dropped under {@link SlowConsumerPolicy#DROP_OLDEST}. */
		void messageDropped(Connection connection);

		/** A write failed: the peer is gone. */
		void connectionLost(Connection connection);

		/** Runs a task that may block, such as a close. */
		void execute(Runnable task);

	}

}
