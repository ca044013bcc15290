package dev.wsinfra.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket client on the JDK's {@code java.net.http.WebSocket} that records what it
 * receives, modelled on OkHttp's {@code WebSocketRecorder}: each assertion waits a bounded
 * time. The JDK answers the server's pings by itself. A client opened with
 * {@link Builder#stalled()} never asks for a message, like a peer that stopped reading,
 * unless told to with {@link #request(long)}, like a peer that reads slowly.
 */
public final class WsTestClient implements AutoCloseable {

	public static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final CompletableFuture<Close> close = new CompletableFuture<>();

	private final WebSocket webSocket;

	private WsTestClient(Builder builder) throws Exception {
		WebSocket.Builder jdk = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
		builder.headers.forEach(jdk::header);
		if (builder.subprotocols.length > 0) {
			jdk.subprotocols(builder.subprotocols[0],
					java.util.Arrays.copyOfRange(builder.subprotocols, 1, builder.subprotocols.length));
		}
		this.webSocket = jdk.buildAsync(builder.uri, new Recorder(!builder.stalled))
			.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public static Builder to(URI uri) {
		return new Builder(uri);
	}

	public static WsTestClient open(URI uri) throws Exception {
		return to(uri).open();
	}

	/**
	 * Opens a connection that must be refused, and returns the HTTP status of the refusal.
	 */
	public static int refusedStatus(Builder builder) throws Exception {
		try {
			WsTestClient client = builder.open();
			client.close();
			throw new AssertionError("the handshake to " + builder.uri + " was accepted");
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			assertThat(cause).as("handshake failure").isInstanceOf(WebSocketHandshakeException.class);
			return ((WebSocketHandshakeException) cause).getResponse().statusCode();
		}
	}

	public String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	public void send(String text) throws Exception {
		this.webSocket.sendText(text, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public void sendPart(String text, boolean last) throws Exception {
		this.webSocket.sendText(text, last).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public void send(ByteBuffer binary) throws Exception {
		this.webSocket.sendBinary(binary, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	/**
	 * Lets a stalled client read a few more frames, or parts of frames, as the JDK delivers
	 * them.
	 */
	public void request(long parts) {
		this.webSocket.request(parts);
	}

	/** Returns the next text message, failing after a bounded wait. */
	public String nextText() throws InterruptedException {
		Object event = this.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).as("a text message within %s", WAIT).isInstanceOf(String.class);
		return (String) event;
	}

	/** Returns the next binary message, failing after a bounded wait. */
	public ByteBuffer nextBinary() throws InterruptedException {
		Object event = this.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).as("a binary message within %s", WAIT).isInstanceOf(ByteBuffer.class);
		return (ByteBuffer) event;
	}

	/** Waits for the server's close. */
	public Close awaitClose() throws Exception {
		return this.close.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	public @Nullable Close closeNow() {
		return this.close.getNow(null);
	}

	public boolean isClosed() {
		return this.close.isDone();
	}

	/** Drops the TCP connection without a close frame. */
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

	/**
	 * A close as received.
	 *
	 * @param code the status code
	 * @param reason the reason
	 * @param receivedAt the nanotime it arrived
	 */
	public record Close(int code, String reason, long receivedAt) {

	}

	public static final class Builder {

		private final URI uri;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private String[] subprotocols = new String[0];

		private boolean stalled;

		private Builder(URI uri) {
			this.uri = uri;
		}

		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		public Builder bearer(String token) {
			return header("Authorization", "Bearer " + token);
		}

		public Builder subprotocols(String... subprotocols) {
			this.subprotocols = subprotocols;
			return this;
		}

		public Builder stalled() {
			this.stalled = true;
			return this;
		}

		public WsTestClient open() throws Exception {
			return new WsTestClient(this);
		}

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
				WsTestClient.this.events.add(this.text.toString());
				this.text.setLength(0);
			}
			requestNext(webSocket);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			ByteBuffer joined = ByteBuffer.allocate(this.binary.remaining() + data.remaining());
			joined.put(this.binary).put(data).flip();
			this.binary = joined;
			if (last) {
				WsTestClient.this.events.add(this.binary);
				this.binary = ByteBuffer.allocate(0);
			}
			requestNext(webSocket);
			return null;
		}

		@Override
		public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			requestNext(webSocket);
			return null;
		}

		private void requestNext(WebSocket webSocket) {
			if (this.reading) {
				webSocket.request(1);
			}
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			WsTestClient.this.close.complete(new Close(statusCode, reason, System.nanoTime()));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			WsTestClient.this.close.complete(new Close(1006, String.valueOf(error), System.nanoTime()));
		}

	}

}
