package dev.wsinfra.server;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.test.RecordingWebSocketSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketMessage;

/**
 * A session without a network that records what is written to it, for fast tests of the
 * manager's bookkeeping. It can vanish (report closed), fail writes, or stall them.
 */
class RecordingSession extends RecordingWebSocketSession {

	private final AtomicInteger writesStarted = new AtomicInteger();

	private volatile boolean failWrites;

	private volatile @Nullable CountDownLatch stall;

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		this.writesStarted.incrementAndGet();
		CountDownLatch latch = this.stall;
		if (latch != null) {
			try {
				latch.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.failWrites || !isOpen()) {
			throw new IOException("Broken pipe");
		}
		super.sendMessage(message);
	}

	/** The peer disappears: the session reports closed, nobody told the manager. */
	void vanish() {
		setOpen(false);
	}

	/** Writes fail from now on, while the session still reports open. */
	void failWrites() {
		this.failWrites = true;
	}

	/** Writes block until {@link #resume()}, like a peer that stopped reading. */
	void stall() {
		this.stall = new CountDownLatch(1);
	}

	void resume() {
		CountDownLatch latch = this.stall;
		if (latch != null) {
			latch.countDown();
		}
	}

	int writesStarted() {
		return this.writesStarted.get();
	}

}
