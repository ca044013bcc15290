package dev.wsinfra.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client for tests, on the JDK's {@code java.net.http.WebSocket}, that
 * records every message it receives, in the spirit of OkHttp's {@code WebSocketRecorder}.
 * <p>
 * Every wait is bounded by the {@linkplain Builder#timeout(Duration) timeout} (by default
 * {@link #DEFAULT_TIMEOUT}) and fails with an {@link AssertionError} that lists what did
 * arrive; a send on a connection that is gone throws {@link UncheckedIOException}.
 * Messages are consumed in arrival order by the {@code next…}, {@code await…} and
 * {@code assert…} methods; a close of the server ends every later wait at once. The JDK
 * answers the server's pings.
 * <p>
 * To prove that <em>nothing else</em> arrived, do not listen for a quiet while: make the
 * server send a marker after the action, through the same connection, and call
 * {@link #assertNothingBefore(Predicate)}. A server writes the messages of one connection
 * in the order it queued them, so anything queued before the marker arrives before it.
 * <p>
 * A client opened {@linkplain Builder#stalled() stalled} reads nothing until
 * {@link #request(long)}, like a peer that stopped reading: the server's outbound queue
 * for it fills up. Recording is thread-safe; a client is meant to be used by one test
 * thread.
 *
 * @since 0.1.0
 */
public final class WsTestClient implements AutoCloseable {

	/** How long a wait lasts unless the builder says otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Text as {@link String}, binary as a read-only {@link ByteBuffer}, then at most one
	 * {@link Close}.
	 */
	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();

	private final CompletableFuture<Close> close = new CompletableFuture<>();

	private final Duration timeout;

	private final WebSocket webSocket;

	private WsTestClient(Builder builder, WebSocket.Builder jdk) {
		this.timeout = builder.timeout;
		this.webSocket = await(jdk.buildAsync(builder.uri(), new Recorder(!builder.stalled)),
				"the handshake with " + builder.uri());
	}

	/**
	 * Starts a client to a WebSocket URI.
	 * @param uri the {@code ws://} URI
	 * @return a builder to set headers, subprotocols and tokens on before opening
	 */
	public static Builder to(URI uri) {
		return new Builder(uri, (client) -> {
		});
	}

	/**
	 * Opens a client with no extra headers.
	 * @param uri the {@code ws://} URI
	 * @return the open client
	 */
	public static WsTestClient open(URI uri) {
		return to(uri).open();
	}

	/**
	 * Returns the subprotocol that the server chose.
	 * @return the subprotocol, or an empty string when none was chosen
	 */
	public String subprotocol() {
		return this.webSocket.getSubprotocol();
	}

	/**
	 * Sends a text message and waits until it was written.
	 * @param text the message
	 */
	public void send(String text) {
		await(this.webSocket.sendText(text, true), "sending a text message");
	}

	/**
	 * Sends one part of a fragmented text message.
	 * @param text the part
	 * @param last whether it is the last part
	 */
	public void sendPart(String text, boolean last) {
		await(this.webSocket.sendText(text, last), "sending part of a text message");
	}

	/**
	 * Sends a binary message and waits until it was written.
	 * @param binary the message
	 */
	public void send(ByteBuffer binary) {
		await(this.webSocket.sendBinary(binary, true), "sending a binary message");
	}

	/**
	 * Sends a binary message and waits until it was written.
	 * @param binary the message
	 */
	public void send(byte[] binary) {
		send(ByteBuffer.wrap(binary));
	}

	/**
	 * Sends a value written as JSON in a text message.
	 * @param value the value: a {@link JsonNode}, a map, a record or a bean
	 */
	public void sendJson(Object value) {
		send(JSON.writeValueAsString(value));
	}

	/**
	 * Sends a ping and returns the payload of the pong that answers it.
	 * @param payload the ping's payload, at most 125 bytes
	 * @return the pong's payload
	 */
	public ByteBuffer ping(ByteBuffer payload) {
		await(this.webSocket.sendPing(payload), "sending a ping");
		ByteBuffer pong = poll(this.pongs);
		if (pong == null) {
			throw new AssertionError("No pong within " + this.timeout);
		}
		return pong;
	}

	/**
	 * Lets the client read a number of frames, or parts of frames, as the JDK delivers
	 * them; meant for a {@linkplain Builder#stalled() stalled} client.
	 * @param parts how many
	 */
	public void request(long parts) {
		this.webSocket.request(parts);
	}

	/**
	 * Returns the next message, which must be text.
	 * @return the message
	 */
	public String nextText() {
		Object event = next("a text message");
		if (!(event instanceof String text)) {
			throw new AssertionError("Expected a text message but received " + describe(event));
		}
		return text;
	}

	/**
	 * Takes the next text message if one has already arrived, without waiting; meant for
	 * polling under a bounded wait such as Awaitility's, never to prove that nothing
	 * arrived.
	 * @return the message, or empty when none is waiting
	 * @throws AssertionError when the next message is binary or the connection closed
	 */
	public Optional<String> nextTextNow() {
		Object event = this.events.peek();
		if (event == null) {
			return Optional.empty();
		}
		return Optional.of(nextText());
	}

	/**
	 * Returns the next message, which must be text holding JSON.
	 * @return the parsed message
	 */
	public JsonNode nextJson() {
		return JSON.readTree(nextText());
	}

	/**
	 * Returns the next message, which must be binary.
	 * @return the message, read-only
	 */
	public ByteBuffer nextBinary() {
		Object event = next("a binary message");
		if (!(event instanceof ByteBuffer binary)) {
			throw new AssertionError("Expected a binary message but received " + describe(event));
		}
		return binary;
	}

	/**
	 * Asserts that the next messages are exactly these texts, in this order.
	 * @param texts the expected messages
	 */
	public void assertNextTexts(String... texts) {
		List<String> actual = new ArrayList<>();
		for (String expected : texts) {
			String text = nextText();
			actual.add(text);
			if (!text.equals(expected)) {
				throw new AssertionError("Expected messages " + List.of(texts) + " but received " + actual);
			}
		}
	}

	/**
	 * Waits for a text message that matches, skipping the others.
	 * @param matcher what the message must match
	 * @return the first text message that matches
	 */
	public String awaitText(Predicate<String> matcher) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		List<Object> skipped = new ArrayList<>();
		while (true) {
			Object event = poll(this.events, deadline);
			if (event instanceof String text && matcher.test(text)) {
				return text;
			}
			if (event == null || event instanceof Close) {
				keepClose(event);
				throw new AssertionError("No matching text message within " + this.timeout + "; received "
						+ describe(skipped) + ((event != null) ? " then " + describe(event) : ""));
			}
			skipped.add(event);
		}
	}

	/**
	 * Waits for a JSON message that matches, skipping the others, text that is not JSON
	 * included.
	 * @param matcher what the message must match
	 * @return the first JSON message that matches
	 */
	public JsonNode awaitJson(Predicate<JsonNode> matcher) {
		return JSON.readTree(awaitText((text) -> {
			JsonNode json = readJsonOrNull(text);
			return json != null && matcher.test(json);
		}));
	}

	/**
	 * Asserts that the next message is the marker, so that nothing else arrived before
	 * it. The caller makes the server send the marker after the action whose silence is
	 * checked, through the same ordered path (a reply, a message to the same room).
	 * @param marker what the marker matches
	 * @return the marker
	 */
	public String assertNothingBefore(Predicate<String> marker) {
		Object event = next("the marker");
		if (event instanceof String text && marker.test(text)) {
			return text;
		}
		List<Object> before = new ArrayList<>();
		before.add(event);
		this.events.drainTo(before);
		before.forEach(this::keepClose);
		throw new AssertionError("Expected nothing before the marker but received " + describe(before));
	}

	/**
	 * Asserts that the next message is this marker, so that nothing else arrived before
	 * it.
	 * @param marker the marker's text
	 * @see #assertNothingBefore(Predicate)
	 */
	public void assertNothingBefore(String marker) {
		assertNothingBefore(marker::equals);
	}

	/**
	 * Sends a request that the endpoint answers, and asserts that the answer is the next
	 * message: nothing else arrived before it.
	 * @param request the text to send
	 * @param reply what the answer matches
	 * @return the answer
	 * @see #assertNothingBefore(Predicate)
	 */
	public String assertNothingBeforeReplyTo(String request, Predicate<String> reply) {
		send(request);
		return assertNothingBefore(reply);
	}

	/**
	 * Waits for the server's close, or for the connection to fail (code 1006).
	 * @return the close
	 */
	public Close awaitClose() {
		return await(this.close, "the close");
	}

	/**
	 * Returns the close if it already happened.
	 * @return the close, if any
	 */
	public Optional<Close> closeNow() {
		return Optional.ofNullable(this.close.getNow(null));
	}

	/**
	 * Returns whether the server closed the connection or the connection failed.
	 * @return whether closed
	 */
	public boolean isClosed() {
		return this.close.isDone();
	}

	/**
	 * Closes normally and waits until the server answered the close.
	 * @return the server's close
	 */
	public Close closeAndWait() {
		await(this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"), "sending a close");
		return awaitClose();
	}

	/** Drops the TCP connection without a close frame, like a client that vanished. */
	public void abort() {
		this.webSocket.abort();
	}

	/**
	 * Sends a normal close unless one was sent, then drops the connection; never waits.
	 */
	@Override
	public void close() {
		if (!this.webSocket.isOutputClosed()) {
			this.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
		this.webSocket.abort();
	}

	private Object next(String what) {
		Object event = poll(this.events);
		if (event == null) {
			throw new AssertionError("No message within " + this.timeout + " while waiting for " + what);
		}
		if (event instanceof Close) {
			keepClose(event);
			throw new AssertionError("Closed while waiting for " + what + ": " + describe(event));
		}
		return event;
	}

	/**
	 * Puts a close back, so that every later wait ends at once too: nothing follows it.
	 */
	private void keepClose(@Nullable Object event) {
		if (event instanceof Close) {
			this.events.add(event);
		}
	}

	private <T> @Nullable T poll(BlockingQueue<T> queue) {
		return poll(queue, System.nanoTime() + this.timeout.toNanos());
	}

	private static <T> @Nullable T poll(BlockingQueue<T> queue, long deadline) {
		try {
			return queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a message", ex);
		}
	}

	private <T> T await(Future<T> future, String what) {
		return awaitFuture(future, this.timeout, what);
	}

	static <T> T awaitFuture(Future<T> future, Duration timeout, String what) {
		try {
			return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("No result within " + timeout + " for " + what, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw new UncheckedIOException("Failed: " + what, io);
			}
			throw new AssertionError("Failed: " + what, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for " + what, ex);
		}
	}

	private static @Nullable JsonNode readJsonOrNull(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static String describe(List<Object> events) {
		return events.isEmpty() ? "nothing" : events.stream().map(WsTestClient::describe).toList().toString();
	}

	private static String describe(Object event) {
		if (event instanceof String text) {
			return "text \"" + text + "\"";
		}
		if (event instanceof ByteBuffer binary) {
			return "binary of " + binary.remaining() + " bytes";
		}
		return String.valueOf(event);
	}

	/**
	 * A close as received.
	 *
	 * @param code the status code, 1006 when the connection failed without a close frame
	 * @param reason the reason, or the error when the connection failed
	 * @param receivedAt the {@link System#nanoTime()} of its arrival
	 */
	public record Close(int code, String reason, long receivedAt) {

		@Override
		public String toString() {
			return "close " + this.code + " \"" + this.reason + "\"";
		}

	}

	/**
	 * Options of a client to open: headers, subprotocols, a bearer token, query
	 * parameters, the timeout and the stalled mode.
	 */
	public static final class Builder {

		private final URI uri;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<String> subprotocols = new ArrayList<>();

		private final StringBuilder query = new StringBuilder();

		private Duration timeout = DEFAULT_TIMEOUT;

		private final Consumer<WsTestClient> opened;

		private boolean stalled;

		Builder(URI uri, Consumer<WsTestClient> opened) {
			this.uri = uri;
			this.opened = opened;
		}

		/**
		 * Adds a handshake header.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Sends a token in the {@code Authorization: Bearer} header.
		 * @param token the token
		 * @return this builder
		 */
		public Builder bearer(String token) {
			return header("Authorization", "Bearer " + token);
		}

		/**
		 * Sends a token as browsers do, in the subprotocol pair {@code bearer}, token.
		 * @param token the token
		 * @return this builder
		 */
		public Builder bearerSubprotocol(String token) {
			return subprotocols("bearer", token);
		}

		/**
		 * Offers subprotocols, after those offered before.
		 * @param subprotocols the subprotocols in order of preference
		 * @return this builder
		 */
		public Builder subprotocols(String... subprotocols) {
			this.subprotocols.addAll(List.of(subprotocols));
			return this;
		}

		/**
		 * Adds a query parameter, encoded.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder query(String name, String value) {
			this.query.append((this.query.length() > 0) ? "&" : "")
				.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
			return this;
		}

		/**
		 * Sets how long each wait of the client lasts.
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Opens the client stalled: it reads nothing until
		 * {@link WsTestClient#request(long)}.
		 * @return this builder
		 */
		public Builder stalled() {
			this.stalled = true;
			return this;
		}

		/**
		 * Opens the connection and waits for the handshake.
		 * @return the open client
		 */
		public WsTestClient open() {
			WsTestClient client = new WsTestClient(this, jdkBuilder());
			this.opened.accept(client);
			return client;
		}

		/**
		 * Opens a connection that the server must refuse.
		 * @return the refusing HTTP response, with its status and headers
		 */
		public HttpResponse<?> openRefused() {
			CompletableFuture<WebSocket> handshake = jdkBuilder().buildAsync(uri(), new WebSocket.Listener() {
			});
			try {
				WebSocket accepted = handshake.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
				accepted.abort();
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof WebSocketHandshakeException refused) {
					return refused.getResponse();
				}
				throw new AssertionError("The handshake with " + uri() + " failed without an HTTP answer",
						ex.getCause());
			}
			catch (TimeoutException ex) {
				throw new AssertionError("No answer to the handshake within " + this.timeout, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted during the handshake", ex);
			}
			throw new AssertionError("The handshake with " + uri() + " was accepted");
		}

		URI uri() {
			if (this.query.length() == 0) {
				return this.uri;
			}
			String separator = (this.uri.getRawQuery() != null) ? "&" : "?";
			return URI.create(this.uri + separator + this.query);
		}

		private WebSocket.Builder jdkBuilder() {
			WebSocket.Builder jdk = HTTP.newWebSocketBuilder().connectTimeout(this.timeout);
			this.headers.forEach(jdk::header);
			if (!this.subprotocols.isEmpty()) {
				jdk.subprotocols(this.subprotocols.get(0),
						this.subprotocols.subList(1, this.subprotocols.size()).toArray(String[]::new));
			}
			return jdk;
		}

	}

	/**
	 * Joins the parts of each message and queues it; the JDK calls it on one thread at a
	 * time.
	 */
	private final class Recorder implements WebSocket.Listener {

		private final boolean reading;

		private final StringBuilder text = new StringBuilder();

		private ByteBuffer binary = ByteBuffer.allocate(0);

		Recorder(boolean reading) {
			this.reading = reading;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			requestNext(webSocket);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				WsTestClient.this.events.add(this.text.toString());
				this.text.setLength(0);
			}
			requestNext(webSocket);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			ByteBuffer joined = ByteBuffer.allocate(this.binary.remaining() + data.remaining());
			joined.put(this.binary).put(data).flip();
			this.binary = joined;
			if (last) {
				WsTestClient.this.events.add(this.binary.asReadOnlyBuffer());
				this.binary = ByteBuffer.allocate(0);
			}
			requestNext(webSocket);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			requestNext(webSocket);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
			ByteBuffer copy = ByteBuffer.allocate(message.remaining());
			copy.put(message).flip();
			WsTestClient.this.pongs.add(copy);
			requestNext(webSocket);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed(new Close(statusCode, reason, System.nanoTime()));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed(new Close(1006, String.valueOf(error), System.nanoTime()));
		}

		private void closed(Close close) {
			if (WsTestClient.this.close.complete(close)) {
				WsTestClient.this.events.add(close);
			}
		}

		private void requestNext(WebSocket webSocket) {
			if (this.reading) {
				webSocket.request(1);
			}
		}

	}

}
