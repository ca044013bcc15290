package dev.wsinfra.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session without a network that records what is written to it, for fast tests of the
 * manager's bookkeeping. It can vanish (report closed), fail writes, or stall them.
 */
class RecordingSession extends NetworklessSession {

	private final BlockingQueue<WebSocketMessage<?>> sent = new LinkedBlockingQueue<>();

	private final List<CloseStatus> closes = new ArrayList<>();

	private final AtomicInteger writesStarted = new AtomicInteger();

	private volatile boolean open = true;

	private volatile boolean failWrites;

	private volatile @Nullable CountDownLatch stall;

	RecordingSession() {
		super("s");
	}

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
		if (this.failWrites || !this.open) {
			throw new IOException("Broken pipe");
		}
		this.sent.add(message);
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	@Override
	public synchronized void close(CloseStatus status) {
		this.closes.add(status);
		this.open = false;
	}

	/** The peer disappears: the session reports closed, nobody told the manager. */
	void vanish() {
		this.open = false;
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

	String nextText() throws InterruptedException {
		WebSocketMessage<?> message = this.sent.poll(5, TimeUnit.SECONDS);
		assertThat(message).as("a message for session %s within 5 s", getId()).isInstanceOf(TextMessage.class);
		return ((TextMessage) message).getPayload();
	}

	BinaryMessage nextBinary() throws InterruptedException {
		WebSocketMessage<?> message = this.sent.poll(5, TimeUnit.SECONDS);
		assertThat(message).as("a message for session %s within 5 s", getId()).isInstanceOf(BinaryMessage.class);
		return (BinaryMessage) message;
	}

	WebSocketMessage<?> nextMessage() throws InterruptedException {
		WebSocketMessage<?> message = this.sent.poll(5, TimeUnit.SECONDS);
		assertThat(message).as("a message for session %s within 5 s", getId()).isNotNull();
		return message;
	}

	List<String> texts() {
		List<String> texts = new ArrayList<>();
		for (WebSocketMessage<?> message : this.sent) {
			texts.add(((TextMessage) message).getPayload());
		}
		return texts;
	}

	int writesStarted() {
		return this.writesStarted.get();
	}

	int sentCount() {
		return this.sent.size();
	}

	synchronized List<CloseStatus> closes() {
		return List.copyOf(this.closes);
	}

}
