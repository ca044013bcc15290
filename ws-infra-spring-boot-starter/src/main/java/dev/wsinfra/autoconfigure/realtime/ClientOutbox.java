package dev.wsinfra.autoconfigure.realtime;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.Executor;

import dev.wsinfra.autoconfigure.realtime.WsRealtimeProperties.SlowClientPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The provider's events on their way to one browser: a queue bounded by the bytes of its
 * events, drained one write at a time by a task on the relay's writer threads. Offers
 * never block the thread that reads the provider. When the browser reads too slowly and
 * the queue is full, the oldest audio deltas are dropped to make room (never another
 * event), or the owner is told to close the session, by policy. A write blocks at most
 * the container's send timeout, which ends a browser that stopped reading altogether.
 */
final class ClientOutbox {

	private static final Log logger = LogFactory.getLog(ClientOutbox.class);

	private final WebSocketSession session;

	private final Executor writers;

	private final long maxBytes;

	private final SlowClientPolicy policy;

	private final Owner owner;

	// Guarded by this: the waiting events and their size, whether a drain task owns the
	// writes, and the close that follows the last write.
	private final ArrayDeque<Item> queue = new ArrayDeque<>();

	private long bytes;

	private boolean draining;

	private @Nullable CloseStatus closeAfter;

	private boolean finished;

	ClientOutbox(WebSocketSession session, Executor writers, long maxBytes, SlowClientPolicy policy, Owner owner) {
		this.session = session;
		this.writers = writers;
		this.maxBytes = maxBytes;
		this.policy = policy;
		this.owner = owner;
	}

	/**
	 * Queues an event for the browser.
	 * @param text the event
	 * @param audio whether it is an audio delta, which may be dropped
	 */
	void offer(String text, boolean audio) {
		int dropped = 0;
		boolean overflow = false;
		synchronized (this) {
			if (this.finished) {
				return;
			}
			long size = text.length();
			while (this.bytes + size > this.maxBytes && !this.queue.isEmpty()) {
				if (this.policy == SlowClientPolicy.CLOSE || !dropOldestAudio()) {
					overflow = true;
					break;
				}
				dropped++;
			}
			if (!overflow) {
				this.queue.add(new Item(text, audio));
				this.bytes += size;
				startDrain();
			}
		}
		if (dropped > 0) {
			this.owner.audioDropped(dropped);
		}
		if (overflow) {
			this.owner.slowClient();
		}
	}

	private boolean dropOldestAudio() {
		Iterator<Item> items = this.queue.iterator();
		while (items.hasNext()) {
			Item item = items.next();
			if (item.audio) {
				items.remove();
				this.bytes -= item.text.length();
				return true;
			}
		}
		return false;
	}

	/**
	 * Writes a last event after those waiting, then closes the session; nothing is queued
	 * after it.
	 * @param last the event, or {@code null}
	 * @param status the close status
	 */
	void finish(@Nullable String last, CloseStatus status) {
		synchronized (this) {
			if (this.finished) {
				return;
			}
			this.finished = true;
			if (last != null) {
				this.queue.add(new Item(last, false));
				this.bytes += last.length();
			}
			this.closeAfter = status;
			startDrain();
		}
	}

	/**
	 * Drops what waits and closes the session at once, for a browser that reads too
	 * slowly or is gone.
	 * @param status the close status
	 */
	void abandon(CloseStatus status) {
		synchronized (this) {
			this.queue.clear();
			this.bytes = 0;
			if (this.finished && this.closeAfter == null) {
				return;
			}
			this.finished = true;
			this.closeAfter = null;
		}
		this.writers.execute(() -> close(status));
	}

	// Guarded by this.
	private void startDrain() {
		if (!this.draining) {
			this.draining = true;
			this.writers.execute(this::drain);
		}
	}

	private void drain() {
		while (true) {
			Item next;
			CloseStatus close = null;
			synchronized (this) {
				next = this.queue.poll();
				if (next == null) {
					this.draining = false;
					close = this.closeAfter;
					this.closeAfter = null;
				}
				else {
					this.bytes -= next.text.length();
				}
			}
			if (next == null) {
				if (close != null) {
					close(close);
				}
				return;
			}
			if (!write(next.text)) {
				return;
			}
		}
	}

	private boolean write(String text) {
		try {
			this.session.sendMessage(new TextMessage(text));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			synchronized (this) {
				this.queue.clear();
				this.bytes = 0;
				this.draining = false;
				this.finished = true;
				this.closeAfter = null;
			}
			logger.debug("Write to relay session " + this.session.getId() + " failed", ex);
			this.owner.writeFailed();
			return false;
		}
	}

	private void close(CloseStatus status) {
		try {
			this.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Close of relay session " + this.session.getId() + " failed", ex);
		}
	}

	private record Item(String text, boolean audio) {

	}

	/** Told when the browser cannot keep up. */
	interface Owner {

		/** Audio deltas were dropped for a slow browser. */
		void audioDropped(int deltas);

		/**
		 * The queue overflowed and nothing could be dropped, or the policy is to close.
		 */
		void slowClient();

		/** A write failed: the browser is gone or stopped reading. */
		void writeFailed();

	}

}
