package dev.wsinfra.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket client on the JDK's {@code java.net.http.WebSocket} that records what it
 * receives, with assertions that wait a bounded time. A client opened with
 * {@link #openStalled} never asks for a message, like a peer that stopped reading.
 */
public final class JdkClient implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();

	private final WebSocket webSocket;

	private JdkClient(URI uri, boolean reading) throws Exception {
		this.webSocket = HTTP.newWebSocketBuilder()
			.connectTimeout(WAIT)
			.buildAsync(uri, new Recorder(reading))
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public static JdkClient open(URI uri) throws Exception {
		return new JdkClient(uri, true);
	}

	public static JdkClient openStalled(URI uri) throws Exception {
		return new JdkClient(uri, false);
	}

	public void send(String text) throws Exception {
		this.webSocket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	/** Sends a ping and returns the payload of the pong that answers it. */
	public ByteBuffer ping(ByteBuffer payload) throws Exception {
		this.webSocket.sendPing(payload).get(WAIT.toSeconds(), TimeUnit.SECONDS);
		ByteBuffer pong = this.pongs.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(pong).as("a pong within %s", WAIT).isNotNull();
		return pong;
	}

	/** Returns the next text message, failing after a bounded wait. */
	public String nextText() throws InterruptedException {
		Object event = this.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).as("a message within %s", WAIT).isInstanceOf(String.class);
		return (String) event;
	}

	/** Returns the next binary message, failing after a bounded wait. */
	public ByteBuffer nextBinary() throws InterruptedException {
		Object event = this.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).as("a binary message within %s", WAIT).isInstanceOf(ByteBuffer.class);
		return (ByteBuffer) event;
	}

	/** Waits for the server's close and returns its code. */
	public int awaitCloseCode() throws Exception {
		return this.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public @Nullable Integer closeCodeNow() {
		return this.closeCode.getNow(null);
	}

	/** Drops the TCP connection without a close frame, like a client that vanished. */
	public void abort() {
		this.webSocket.abort();
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
		this.webSocket.abort();
	}

	private final class Recorder implements WebSocket.Listener {

		private final boolean reading;

		private final StringBuilder text = new StringBuilder();

		private ByteBuffer binary = ByteBuffer.allocate(0);

		Recorder(boolean reading) {
			this.reading = reading;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			if (this.reading) {
				webSocket.request(1);
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				JdkClient.this.events.add(this.text.toString());
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			ByteBuffer joined = ByteBuffer.allocate(this.binary.remaining() + data.remaining());
			joined.put(this.binary).put(data).flip();
			this.binary = joined;
			if (last) {
				JdkClient.this.events.add(this.binary);
				this.binary = ByteBuffer.allocate(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			ByteBuffer copy = ByteBuffer.allocate(message.remaining());
			copy.put(message).flip();
			JdkClient.this.pongs.add(copy);
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			JdkClient.this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			JdkClient.this.closeCode.complete(1006);
		}

	}

}
