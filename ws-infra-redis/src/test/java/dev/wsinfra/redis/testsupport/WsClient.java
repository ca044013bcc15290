package dev.wsinfra.redis.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WebSocket client on the JDK's {@code java.net.http.WebSocket} that queues what it
 * receives; every wait is bounded. Order checks use markers: a test sends a last message
 * through the same path and expects it next, so "nothing else arrived" needs no sleep.
 */
public final class WsClient implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final WebSocket webSocket;

	private WsClient(URI uri) throws Exception {
		this.webSocket = HTTP.newWebSocketBuilder()
			.connectTimeout(WAIT)
			.buildAsync(uri, new Listener())
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public static WsClient open(URI uri) throws Exception {
		return new WsClient(uri);
	}

	public void send(String text) throws Exception {
		this.webSocket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	/** Returns the next text frame, failing after a bounded wait. */
	public String next() throws InterruptedException {
		Object frame = this.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(frame).as("a text frame within %s", WAIT).isInstanceOf(String.class);
		return (String) frame;
	}

	public JsonNode nextJson() throws InterruptedException {
		return JSON.readTree(next());
	}

	/** Returns the next binary frame, failing after a bounded wait. */
	public byte[] nextBinary() throws InterruptedException {
		Object frame = this.received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(frame).as("a binary frame within %s", WAIT).isInstanceOf(byte[].class);
		return (byte[]) frame;
	}

	/** Asserts that the next frames are exactly these texts, in this order. */
	public void expect(String... texts) throws InterruptedException {
		List<String> actual = new ArrayList<>();
		for (int i = 0; i < texts.length; i++) {
			actual.add(next());
		}
		assertThat(actual).containsExactly(texts);
	}

	/** Asserts that the next frames are exactly these texts, in any order. */
	public void expectInAnyOrder(String... texts) throws InterruptedException {
		List<String> actual = new ArrayList<>();
		for (int i = 0; i < texts.length; i++) {
			actual.add(next());
		}
		assertThat(actual).containsExactlyInAnyOrder(texts);
	}

	/** Returns the frames received so far without waiting. */
	public List<Object> drain() {
		List<Object> frames = new ArrayList<>();
		this.received.drainTo(frames);
		return frames;
	}

	/** Waits for the server's close and returns its code. */
	public int awaitCloseCode() throws Exception {
		return this.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public boolean isClosed() {
		return this.closeCode.isDone();
	}

	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
		this.webSocket.abort();
	}

	/** Closes normally and waits until the server answered the close. */
	public void closeAndWait() throws Exception {
		this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toSeconds(), TimeUnit.SECONDS);
		awaitCloseCode();
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		private ByteBuffer binary = ByteBuffer.allocate(0);

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				WsClient.this.received.add(this.text.toString());
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
				byte[] bytes = new byte[this.binary.remaining()];
				this.binary.get(bytes);
				WsClient.this.received.add(bytes);
				this.binary = ByteBuffer.allocate(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			WsClient.this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			WsClient.this.closeCode.complete(1006);
		}

	}

}
