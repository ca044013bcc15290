package dev.wsinfra.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.WebSocketException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.client.internal.Frames;
import dev.wsinfra.client.internal.InboundQueue;
import dev.wsinfra.client.internal.Urls;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.internal.Utf8;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client connection to a WebSocket server ({@code ws://} or {@code wss://}), such as
 * OpenAI Realtime or Gemini Live, on the Tyrus client.
 *
 * <h2>Lifecycle</h2> Build a client with {@link #builder(String)}, or take a connected
 * one from {@link #open(String)}. {@link #connect()} opens the connection, once per
 * client: a client whose connection failed or ended is not reused, and
 * {@link #reconnecting(String)} builds a new one for each connection. The
 * {@link #state()} goes from {@link ConnectionState#DISCONNECTED DISCONNECTED} through
 * {@code CONNECTING} to {@code CONNECTED} (or back to {@code DISCONNECTED} when
 * connecting fails), then through {@code CLOSING} to {@code CLOSED}; a client never
 * reports {@code RECONNECTING}. Close it with {@link #close()}, in a try-with-resources
 * block.
 *
 * <h2>Receiving</h2> Messages are read with {@link #recv()}, {@link #recv(Duration)},
 * {@link #recvJson()} or by iterating, or are pushed to a {@link WebSocketListener} given
 * to the builder, never both. At most {@link WebSocketConfig#maxQueueSize() maxQueueSize}
 * received messages wait to be read. When that many wait, the client stops reading from
 * the socket until the application takes one: TCP flow control then slows the server
 * down, and memory stays bounded. Time spent waiting like that does not count against the
 * server's pongs. Messages received before the connection ended can still be read after
 * it; then the end is reported:
 * <ul>
 * <li>{@code recv} throws {@link ConnectionClosedException} with the close code and
 * reason (1006 when the connection dropped without a close frame);</li>
 * <li>iteration ends quietly when this client closed the connection or the close code was
 * 1000 or 1001, and throws {@link ConnectionClosedException} otherwise; on a connection
 * of {@link Builder#reconnecting()}, it also ends quietly after every end that is
 * retried, such as a drop or a keepalive timeout, so that the loop around it opens the
 * next connection; {@link #closeCode()} then tells how it ended;</li>
 * <li>a message larger than {@link WebSocketConfig#maxMessageSize() maxMessageSize} is
 * refused as soon as its header announces it: the next read after the messages before it
 * throws {@link MessageTooLargeException}, and the connection is closed with 1009.</li>
 * </ul>
 * A reader blocked in {@code recv} or in iteration always returns when the connection
 * ends.
 *
 * <h2>Sending</h2> The {@code send} methods queue the message and return without waiting
 * for the network. One message is written at a time, in the order of the calls, so sends
 * from many threads never interleave frames. At most
 * {@link WebSocketConfig#maxSendQueueSize() maxSendQueueSize} messages wait to be written
 * ({@link #queueSize()}); beyond that a send throws {@link SendQueueFullException} and
 * queues nothing. A message larger than {@code maxMessageSize} throws
 * {@link MessageTooLargeException} before anything is sent.
 *
 * <h2>Keepalive, timeouts and closing</h2> Unless {@link WebSocketConfig#pingInterval()
 * pingInterval} is disabled, the client pings every interval; when a pong takes longer
 * than {@link WebSocketConfig#pingTimeout() pingTimeout} the connection is closed as dead
 * with 1011 "keepalive ping timeout". {@link #latency()} is the round trip of the last
 * pong. {@link WebSocketConfig#openTimeout() openTimeout} bounds connecting: TCP, TLS and
 * the HTTP upgrade together. {@link #close(int, String)} lets queued messages go out,
 * sends the close frame, waits for the server's, and then closes TCP, all within
 * {@link WebSocketConfig#closeTimeout() closeTimeout}.
 *
 * <h2>Threading</h2> Every method may be called from any thread. {@code connect} blocks
 * for at most {@code openTimeout} and {@code close} for at most {@code closeTimeout};
 * {@link #recv(Duration)} waits at most its timeout, while {@code recv()} and iteration
 * wait until a message arrives or the connection ends. The other methods do not block.
 *
 * @since 0.1.0
 */
public final class WebSocketClient implements AutoCloseable, Iterable<WebSocketMessage> {

	private static final ObjectMapper DEFAULT_JSON = JsonMapper.builder().build();

	private final ClientConnection connection;

	private final WebSocketConfig config;

	private final ObjectMapper json;

	private WebSocketClient(Builder builder, WebSocketConfig config) {
		this.config = config;
		this.json = builder.json;
		this.connection = new ClientConnection(this,
				new ClientSettings(builder.uri, config, Builder.copy(builder.headers),
						List.copyOf(builder.subprotocols), builder.listener, builder.sslContext,
						builder.permessageDeflate, builder.reconnecting));
	}

	/**
	 * Starts building a client.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a builder
	 * @throws IllegalArgumentException if the URL is not a WebSocket URL with a host
	 */
	public static Builder builder(String url) {
		return new Builder(Builder.parse(url));
	}

	/**
	 * Starts building a client.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a builder
	 * @throws IllegalArgumentException if the URL is not a WebSocket URL with a host
	 */
	public static Builder builder(URI url) {
		return new Builder(Builder.check(url));
	}

	/**
	 * Connects to a URL with the configuration of the {@code WS_*} environment variables
	 * ({@link WebSocketConfig#fromEnv()}); the seed's {@code easy_websocket_client}.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a connected client
	 * @throws ConnectionFailedException if the connection cannot be opened
	 */
	public static WebSocketClient open(String url) {
		return builder(url).open();
	}

	/**
	 * Connects to a URL with the configuration of the {@code WS_*} environment variables.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return a connected client
	 * @throws ConnectionFailedException if the connection cannot be opened
	 */
	public static WebSocketClient open(URI url) {
		return builder(url).open();
	}

	/**
	 * Returns the connections to a URL, a new one each time the last one ended,
	 * configured from the {@code WS_*} environment variables; see
	 * {@link Builder#reconnecting()}.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @return the connections, opened as they are iterated
	 */
	public static Iterable<WebSocketClient> reconnecting(String url) {
		return builder(url).reconnecting();
	}

	/**
	 * Returns the connections to a URL, a new one each time the last one ended; see
	 * {@link Builder#reconnecting()}.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @param config the configuration, including reconnection and backoff
	 * @return the connections, opened as they are iterated
	 */
	public static Iterable<WebSocketClient> reconnecting(String url, WebSocketConfig config) {
		return builder(url).config(config).reconnecting();
	}

	/**
	 * Returns the connections to a URL, a new one each time the last one ended, each
	 * opened with the given handshake headers; see {@link Builder#reconnecting()}.
	 * @param url a {@code ws://} or {@code wss://} URL
	 * @param config the configuration, including reconnection and backoff
	 * @param headers handshake headers, such as {@code Authorization}
	 * @return the connections, opened as they are iterated
	 */
	public static Iterable<WebSocketClient> reconnecting(String url, WebSocketConfig config,
			Map<String, String> headers) {
		Builder builder = builder(url).config(config);
		headers.forEach(builder::header);
		return builder.reconnecting();
	}

	/**
	 * Opens the connection, waiting at most {@code openTimeout}. May be called once.
	 * @throws ConnectionFailedException if the server refused the connection, the host is
	 * unknown, TLS failed, the handshake was answered with an HTTP status other than 101
	 * (available from {@link ConnectionFailedException#httpStatus()}), or the handshake
	 * did not complete in time; the client is then {@code DISCONNECTED} and not reusable
	 * @throws IllegalStateException if {@code connect} was called before
	 */
	public void connect() {
		this.connection.connect();
	}

	/**
	 * Closes the connection normally (1000), as {@link #close(int, String)} does.
	 */
	@Override
	public void close() {
		close(1000, "");
	}

	/**
	 * Closes the connection: stops taking messages, lets the queued ones go out, sends a
	 * close frame, waits for the server's and closes TCP, all within
	 * {@code closeTimeout}; messages still queued when it runs out are dropped. Does
	 * nothing more when the connection already ended. Called from a listener, it returns
	 * without waiting for the server's close frame. A server that stopped reading
	 * altogether cannot take the close frame: {@code close} then returns at the deadline
	 * with the connection {@code CLOSED}, and the transport releases the socket once its
	 * pending write fails.
	 * @param code 1000, 1001, 1002, 1003, 1007 to 1011, or an application code 3000 to
	 * 4999
	 * @param reason the reason, at most 123 bytes in UTF-8
	 * @throws IllegalArgumentException if the code may not be sent or the reason is too
	 * long
	 */
	public void close(int code, String reason) {
		if (!(code >= 1000 && code <= 1003) && !(code >= 1007 && code <= 1011) && !(code >= 3000 && code <= 4999)) {
			throw new IllegalArgumentException("Close code " + code + " may not be sent");
		}
		if (Utf8.encodedLength(reason) > Frames.MAX_CLOSE_REASON_BYTES) {
			throw new IllegalArgumentException(
					"Close reason must be at most " + Frames.MAX_CLOSE_REASON_BYTES + " bytes in UTF-8");
		}
		this.connection.close(code, reason);
	}

	/**
	 * Queues a text message.
	 * @param text the text
	 * @throws SendQueueFullException if {@code maxSendQueueSize} messages are waiting
	 * @throws MessageTooLargeException if the text is longer than {@code maxMessageSize}
	 * in UTF-8
	 * @throws ConnectionClosedException if the connection is closing or closed
	 * @throws IllegalStateException if the client is not connected yet
	 */
	public void send(String text) {
		offer(text, Utf8.encodedLength(text));
	}

	/**
	 * Queues a binary message with a copy of the bytes.
	 * @param bytes the payload
	 * @throws SendQueueFullException if {@code maxSendQueueSize} messages are waiting
	 * @throws MessageTooLargeException if the payload is larger than
	 * {@code maxMessageSize}
	 * @throws ConnectionClosedException if the connection is closing or closed
	 * @throws IllegalStateException if the client is not connected yet
	 */
	public void send(byte[] bytes) {
		send(ByteBuffer.wrap(bytes));
	}

	/**
	 * Queues a binary message with a copy of the buffer's remaining bytes; the buffer
	 * itself is not changed.
	 * @param buffer the payload
	 * @throws SendQueueFullException if {@code maxSendQueueSize} messages are waiting
	 * @throws MessageTooLargeException if the payload is larger than
	 * {@code maxMessageSize}
	 * @throws ConnectionClosedException if the connection is closing or closed
	 * @throws IllegalStateException if the client is not connected yet
	 */
	public void send(ByteBuffer buffer) {
		int size = buffer.remaining();
		if (size > this.config.maxMessageSize()) {
			throw new MessageTooLargeException(size, this.config.maxMessageSize());
		}
		ByteBuffer copy = ByteBuffer.allocate(size).put(buffer.duplicate()).flip();
		offer(copy, size);
	}

	/**
	 * Serializes a value as JSON and queues it as a text message.
	 * @param value the value
	 * @throws WebSocketException if the value cannot be serialized; nothing is sent
	 * @throws SendQueueFullException if {@code maxSendQueueSize} messages are waiting
	 * @throws MessageTooLargeException if the JSON is longer than {@code maxMessageSize}
	 * @throws ConnectionClosedException if the connection is closing or closed
	 */
	public void sendJson(Object value) {
		String text;
		try {
			text = this.json.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new WebSocketException(
					"Could not write " + value.getClass().getSimpleName() + " as JSON: " + ex.getOriginalMessage(), ex);
		}
		send(text);
	}

	private void offer(Object payload, long size) {
		if (!this.connection.send(payload, size)) {
			throw new SendQueueFullException(this.config.maxSendQueueSize());
		}
	}

	/**
	 * Waits for the next message.
	 * @return the message
	 * @throws ConnectionClosedException once the connection ended and every message
	 * received before was read
	 * @throws MessageTooLargeException once, in order, for a message over the size limit
	 * @throws WebSocketException if the waiting thread is interrupted (its interrupt
	 * status is kept)
	 * @throws IllegalStateException if the client has a listener or never connected
	 */
	public WebSocketMessage recv() {
		WebSocketMessage message = this.connection.receive(-1, false);
		if (message == null) {
			throw new IllegalStateException("No message");
		}
		return message;
	}

	/**
	 * Waits at most {@code timeout} for the next message.
	 * @param timeout how long to wait
	 * @return the message, or empty when none came in time
	 * @throws ConnectionClosedException once the connection ended and every message
	 * received before was read
	 * @throws MessageTooLargeException once, in order, for a message over the size limit
	 * @throws WebSocketException if the waiting thread is interrupted
	 * @throws IllegalStateException if the client has a listener or never connected
	 */
	public Optional<WebSocketMessage> recv(Duration timeout) {
		return Optional.ofNullable(this.connection.receive(Math.max(0, timeout.toNanos()), false));
	}

	/**
	 * Waits for the next message and parses it as JSON.
	 * @return the JSON tree
	 * @throws WebSocketException if the message is not JSON (it is consumed all the
	 * same), or as {@link #recv()}
	 */
	public JsonNode recvJson() {
		WebSocketMessage message = recv();
		try {
			return this.json.readTree(message.text());
		}
		catch (JacksonException ex) {
			throw new WebSocketException("Message is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Waits for the next message and parses it as JSON into a type.
	 * @param <T> the type
	 * @param type the type
	 * @return the value
	 * @throws WebSocketException if the message is not JSON for that type (it is consumed
	 * all the same), or as {@link #recv()}
	 */
	public <T> T recvJson(Class<T> type) {
		WebSocketMessage message = recv();
		try {
			return this.json.readValue(message.text(), type);
		}
		catch (JacksonException ex) {
			throw new WebSocketException(
					"Message is not valid JSON for " + type.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Returns the messages as they arrive, until the connection ends. {@code hasNext()}
	 * blocks; it returns {@code false} after a close by this client or with 1000 or 1001,
	 * and throws {@link ConnectionClosedException} after any other end. On a connection
	 * of {@link Builder#reconnecting()} with reconnection enabled, it also returns
	 * {@code false} after every end that the reconnecting iteration retries, and throws
	 * only for the ones that end it. Several iterators share the messages: each goes to
	 * one of them.
	 * @return an iterator over the messages
	 * @throws IllegalStateException from {@code hasNext()} if the client has a listener
	 */
	@Override
	public Iterator<WebSocketMessage> iterator() {
		return new Iterator<>() {

			private @Nullable WebSocketMessage next;

			private boolean ended;

			@Override
			public boolean hasNext() {
				if (this.next == null && !this.ended) {
					this.next = WebSocketClient.this.connection.receive(-1, true);
					this.ended = (this.next == null);
				}
				return this.next != null;
			}

			@Override
			public WebSocketMessage next() {
				if (!hasNext()) {
					throw new NoSuchElementException("The connection has ended");
				}
				WebSocketMessage message = this.next;
				this.next = null;
				return message;
			}

		};
	}

	/**
	 * Returns the URL this client connects to.
	 * @return the URL
	 */
	public URI url() {
		return this.connection.uri();
	}

	/**
	 * Returns whether the connection is open for sending and receiving.
	 * @return {@code true} in the {@code CONNECTED} state
	 */
	public boolean isConnected() {
		return this.connection.state() == ConnectionState.CONNECTED;
	}

	/**
	 * Returns the round trip of the last keepalive ping.
	 * @return the latency, empty until a pong came back or when keepalive is disabled
	 */
	public Optional<Duration> latency() {
		return this.connection.latency();
	}

	/**
	 * Returns the configuration.
	 * @return the configuration given to the builder, or the one of the environment
	 */
	public WebSocketConfig config() {
		return this.config;
	}

	/**
	 * Returns the state of the connection.
	 * @return the state
	 */
	public ConnectionState state() {
		return this.connection.state();
	}

	/**
	 * Returns the subprotocol the server chose among those offered.
	 * @return the subprotocol, empty when none was chosen or before connecting
	 */
	public Optional<String> subprotocol() {
		return this.connection.subprotocol();
	}

	/**
	 * Returns the extensions the server accepted, such as {@code permessage-deflate} when
	 * {@link Builder#permessageDeflate(boolean) offered}.
	 * @return the names of the extensions in use, empty when none or before connecting
	 */
	public List<String> extensions() {
		return this.connection.extensions();
	}

	/**
	 * Returns the code the connection ended with: the peer's close code, the one this
	 * client closed with, or 1006 when the connection dropped without a close frame. The
	 * seed's {@code close_code}.
	 * @return the close code, or empty while the connection has not ended
	 */
	public OptionalInt closeCode() {
		InboundQueue.End end = this.connection.closure();
		return (end != null) ? OptionalInt.of(end.code()) : OptionalInt.empty();
	}

	/**
	 * Returns the reason the connection ended with, as {@link #closeCode()} tells its
	 * code. The seed's {@code close_reason}.
	 * @return the close reason, possibly blank, or empty while the connection has not
	 * ended
	 */
	public Optional<String> closeReason() {
		InboundQueue.End end = this.connection.closure();
		return (end != null) ? Optional.of(end.reason()) : Optional.empty();
	}

	/**
	 * Returns the number of messages sent but not yet written.
	 * @return the send queue's size, at most {@code maxSendQueueSize}
	 */
	public int queueSize() {
		return this.connection.queueSize();
	}

	ClientConnection connection() {
		return this.connection;
	}

	@Override
	public String toString() {
		return "WebSocketClient[" + Urls.redact(url()) + ", " + state() + "]";
	}

	/**
	 * Builds {@link WebSocketClient}s; not thread-safe. Without
	 * {@link #config(WebSocketConfig)}, the configuration comes from the {@code WS_*}
	 * environment variables when {@link #build()} runs
	 * ({@link WebSocketConfig#fromEnv()}).
	 */
	public static final class Builder {

		// RFC 7230 token characters: header names and subprotocols
		private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

		private final URI uri;

		private @Nullable WebSocketConfig config;

		private final Map<String, List<String>> headers = new LinkedHashMap<>();

		private final List<String> subprotocols = new ArrayList<>();

		private @Nullable WebSocketListener listener;

		private ObjectMapper json = DEFAULT_JSON;

		private @Nullable SSLContext sslContext;

		private boolean permessageDeflate;

		// Set on the snapshot that reconnecting() builds its connections from.
		private boolean reconnecting;

		private Builder(URI uri) {
			this.uri = uri;
		}

		private Builder(Builder other) {
			this.uri = other.uri;
			this.config = other.config;
			this.headers.putAll(copy(other.headers));
			this.subprotocols.addAll(other.subprotocols);
			this.listener = other.listener;
			this.json = other.json;
			this.sslContext = other.sslContext;
			this.permessageDeflate = other.permessageDeflate;
			this.reconnecting = other.reconnecting;
		}

		/**
		 * Sets the configuration: timeouts, keepalive, size limits and reconnection.
		 * @param config the configuration
		 * @return this builder
		 */
		public Builder config(WebSocketConfig config) {
			this.config = config;
			return this;
		}

		/**
		 * Adds a header to the opening handshake, such as {@code Authorization}; a name
		 * given twice is sent with both values. Values are never logged.
		 * @param name the header name
		 * @param value the value
		 * @return this builder
		 * @throws IllegalArgumentException if the name is not an HTTP token or the value
		 * contains a line break
		 */
		public Builder header(String name, String value) {
			if (!TOKEN.matcher(name).matches()) {
				throw new IllegalArgumentException("Invalid header name '" + name + "'");
			}
			if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
				throw new IllegalArgumentException("Value of header " + name + " must not contain a line break");
			}
			this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			return this;
		}

		/**
		 * Sets the subprotocols to offer, in order of preference; {@link #subprotocol()}
		 * tells which one the server chose.
		 * @param subprotocols the subprotocols
		 * @return this builder
		 * @throws IllegalArgumentException if one is not an HTTP token
		 */
		public Builder subprotocols(String... subprotocols) {
			for (String subprotocol : subprotocols) {
				if (!TOKEN.matcher(subprotocol).matches()) {
					throw new IllegalArgumentException("Invalid subprotocol '" + subprotocol + "'");
				}
			}
			this.subprotocols.clear();
			this.subprotocols.addAll(List.of(subprotocols));
			return this;
		}

		/**
		 * Sets a listener that receives the messages and events instead of the blocking
		 * {@code recv} methods and iteration.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(WebSocketListener listener) {
			this.listener = listener;
			return this;
		}

		/**
		 * Sets the Jackson mapper of {@link #sendJson(Object)} and {@link #recvJson()},
		 * such as the application's own; a plain {@code JsonMapper} by default.
		 * @param mapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(ObjectMapper mapper) {
			this.json = mapper;
			return this;
		}

		/**
		 * Sets the TLS context of {@code wss://} connections: the certificates the client
		 * trusts and, for mutual TLS, the key it presents; by default the JVM's, which
		 * trusts the JDK's certificate authorities (or those of
		 * {@code javax.net.ssl.trustStore}). A server whose certificate is self-signed or
		 * from a private authority is reached with a context that trusts it. The server's
		 * host name is verified against its certificate whatever the context.
		 * @param sslContext the initialized context
		 * @return this builder
		 */
		public Builder sslContext(SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Sets whether to offer the permessage-deflate extension (RFC 7692) in the
		 * opening handshake; off by default. When the server accepts it, messages are
		 * compressed both ways, which pays off for large text such as JSON, at the cost
		 * of CPU time and of memory for each side's compression state.
		 * {@link WebSocketClient#extensions()} tells whether the server accepted it.
		 * {@code maxMessageSize} bounds a message as received after decompression as
		 * well.
		 * @param enabled whether to offer it
		 * @return this builder
		 */
		public Builder permessageDeflate(boolean enabled) {
			this.permessageDeflate = enabled;
			return this;
		}

		/**
		 * Builds a client, not connected yet.
		 * @return the client
		 * @throws IllegalArgumentException if no configuration was set and a {@code WS_*}
		 * variable holds an invalid value
		 */
		public WebSocketClient build() {
			return new WebSocketClient(this, (this.config != null) ? this.config : WebSocketConfig.fromEnv());
		}

		/**
		 * Builds a client and connects it.
		 * @return the connected client
		 * @throws ConnectionFailedException if the connection cannot be opened
		 */
		public WebSocketClient open() {
			WebSocketClient client = build();
			client.connect();
			return client;
		}

		/**
		 * Returns the connections this builder describes, a new one each time the last
		 * one ended; the seed's {@code websocket_connect(url, auto_reconnect=True)}.
		 * Later changes to this builder do not affect it.
		 * <p>
		 * {@code hasNext()} opens the next connection and blocks until it is open. Before
		 * each attempt but the first, it waits
		 * {@code min(reconnectBackoffMax, reconnectBackoffBase ·
		 * 2^n) ± reconnectJitter}, {@code n} counting the waits since the last connection
		 * opened, or as long as a rejected handshake's {@code Retry-After} asks, at most
		 * {@code reconnectBackoffMax}. Moving on closes the previous connection if it is
		 * still open. The iteration
		 * <ul>
		 * <li>throws {@link ConnectionFailedException}, with the last failure as its
		 * cause, after {@code reconnectMaxAttempts} failed attempts in a row (0 means
		 * never);</li>
		 * <li>throws at once, without retrying, for what cannot succeed when tried again:
		 * a handshake rejected with a status other than 408, 425, 429 and 5xx (such as
		 * 401, 403 or 404), as {@link ConnectionFailedException}, or a connection closed
		 * with 1002, 1003, 1007, 1008, 1009, 1010, 1015, 3000, 3003 or 4000-4999, as
		 * {@link ConnectionClosedException};</li>
		 * <li>retries everything else: refused connections, unknown hosts and TLS
		 * failures, timeouts, and closes such as 1000, 1001, 1006, 1011, 1012 and 1013,
		 * including a keepalive timeout;</li>
		 * <li>with reconnection disabled, yields one connection and ends when it ends; a
		 * failed first attempt throws.</li>
		 * </ul>
		 * Iterating one of these connections ends quietly when it ends in a way that is
		 * retried, so nested loops reconnect; {@link WebSocketClient#closeCode()} tells
		 * how it ended. To stop, leave the loop and close the last connection.
		 * @return the connections, opened as they are iterated
		 */
		public Iterable<WebSocketClient> reconnecting() {
			Builder snapshot = new Builder(this);
			WebSocketConfig resolved = (snapshot.config != null) ? snapshot.config : WebSocketConfig.fromEnv();
			snapshot.config = resolved;
			snapshot.reconnecting = resolved.reconnectEnabled();
			return new ReconnectingClients(snapshot::build, resolved, Urls.redact(this.uri));
		}

		static URI parse(String url) {
			try {
				return check(new URI(url.trim()));
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("Invalid WebSocket URL: " + ex.getReason(), ex);
			}
		}

		static URI check(URI uri) {
			String scheme = uri.getScheme();
			if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
				throw new IllegalArgumentException("WebSocket URL must use ws or wss, was " + scheme);
			}
			if (uri.getHost() == null) {
				throw new IllegalArgumentException("WebSocket URL must name a host");
			}
			return uri;
		}

		static Map<String, List<String>> copy(Map<String, List<String>> headers) {
			Map<String, List<String>> copy = new LinkedHashMap<>();
			headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
			return copy;
		}

	}

}
