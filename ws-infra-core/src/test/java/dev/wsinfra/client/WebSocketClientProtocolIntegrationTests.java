package dev.wsinfra.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.testsupport.RawServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client against a server that breaks RFC 6455: frames a conformance suite such as
 * Autobahn sends, written byte for byte by a hand-written server on loopback.
 */
class WebSocketClientProtocolIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	// well below every timeout of the client and of the raw server
	private static final Duration PROMPTLY = Duration.ofSeconds(5);

	private static final int MIB = 1024 * 1024;

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.openTimeout(Duration.ofSeconds(20))
		.closeTimeout(Duration.ofSeconds(30))
		.pingInterval(null)
		.reconnectEnabled(false)
		.build();

	private static final byte[] INVALID_UTF8 = { (byte) 0xC0, (byte) 0xAF };

	private final CompletableFuture<RawWebSocket.Frame> closeFrame = new CompletableFuture<>();

	private RawServer server;

	@AfterEach
	void stopServer() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	private WebSocketClient.Builder client(WebSocketConfig config) {
		return WebSocketClient.builder(this.server.uri("/ws")).config(config);
	}

	/** Answers the client's close frame and waits for the client to close TCP. */
	private void answerClose(RawWebSocket connection) throws IOException {
		RawWebSocket.Frame close = connection.readUntil(0x8);
		this.closeFrame.complete(close);
		connection.sendClose(close.closeCode(), "");
		connection.readsEndOfStream();
	}

	/**
	 * Reads the client's close frame after a protocol error. A client that fails the
	 * connection may close TCP without waiting for the answer (RFC 6455, 7.1.7).
	 */
	private void readFailingClose(RawWebSocket connection) throws IOException {
		RawWebSocket.Frame close = connection.readUntil(0x8);
		this.closeFrame.complete(close);
		try {
			connection.sendClose(close.closeCode(), "");
			connection.readsEndOfStream();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	/**
	 * What a conformance suite sends after a valid message, and the close code it must
	 * get.
	 */
	enum BadFrame {

		RESERVED_BITS(1002, reservedBitsSet(text("bad"))),

		RESERVED_DATA_OPCODE(1002, RawWebSocket.frame(true, 0x3, new byte[1])),

		RESERVED_CONTROL_OPCODE(1002, RawWebSocket.frame(true, 0xB, new byte[1])),

		FRAGMENTED_PING(1002, RawWebSocket.frame(false, 0x9, new byte[1])),

		PING_OVER_125_BYTES(1002, RawWebSocket.frame(true, 0x9, new byte[126])),

		CONTINUATION_WITHOUT_START(1002, RawWebSocket.frame(true, 0x0, new byte[1])),

		TEXT_INSIDE_A_FRAGMENTED_MESSAGE(1002, concat(RawWebSocket.frame(false, 0x1, new byte[] { 'a' }), text("b"))),

		INVALID_UTF8(1007, RawWebSocket.frame(true, 0x1, invalidAt(1, 10))),

		MASKED(1002, masked(text("bad"))),

		CLOSE_OF_ONE_BYTE(1002, RawWebSocket.frame(true, 0x8, new byte[] { 0x03 })),

		CLOSE_CODE_999(1002, closeFrame(999, new byte[0])),

		CLOSE_CODE_1004(1002, closeFrame(1004, new byte[0])),

		CLOSE_CODE_1005(1002, closeFrame(1005, new byte[0])),

		CLOSE_CODE_5000(1002, closeFrame(5000, new byte[0])),

		CLOSE_REASON_INVALID_UTF8(1007, closeFrame(1000, invalidAt(1, 10)));

		private final int closeCode;

		private final byte[] bytes;

		BadFrame(int closeCode, byte[] bytes) {
			this.closeCode = closeCode;
			this.bytes = bytes;
		}

	}

	/** Sends the handshake response, a valid message and the bad frame, in one write. */
	private void sendValidThenBad(RawWebSocket connection, BadFrame bad) throws IOException {
		connection.upgrade(connection.readRequest(), concat(text("valid"), bad.bytes));
	}

	@ParameterizedTest // #11
	@EnumSource
	void aMessageBeforeABadFrameInTheSameReadIsReadBeforeTheClose(BadFrame bad) throws Exception {
		this.server = RawServer.start((connection, index) -> {
			sendValidThenBad(connection, bad);
			readFailingClose(connection);
		});
		try (WebSocketClient client = client(CONFIG).open()) {
			assertThat(client.recv()).isEqualTo(WebSocketMessage.text("valid"));
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(bad.closeCode));
		}
		assertThat(this.closeFrame.get(WAIT.toSeconds(), TimeUnit.SECONDS).closeCode()).isEqualTo(bad.closeCode);
	}

	@ParameterizedTest // #11
	@EnumSource
	void aListenerEchoesAMessageBeforeABadFrameInTheSameReadBeforeTheClose(BadFrame bad) throws Exception {
		CompletableFuture<RawWebSocket.Frame> echo = new CompletableFuture<>();
		this.server = RawServer.start((connection, index) -> {
			sendValidThenBad(connection, bad);
			echo.complete(connection.readFrame());
			readFailingClose(connection);
		});
		EchoingListener echoing = new EchoingListener();
		RecordingListener recorder = echoing.recorder;
		try (WebSocketClient client = client(CONFIG).listener(echoing).open()) {
			recorder.assertMessage(WebSocketMessage.text("valid"));
			RawWebSocket.Frame echoed = echo.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(echoing.failures).isEmpty();
			assertThat(echoed.opcode()).isEqualTo(0x1);
			assertThat(echoed.text()).isEqualTo("valid");
			RawWebSocket.Frame close = this.closeFrame.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(close.closeCode()).isEqualTo(bad.closeCode);
			recorder.assertClose(bad.closeCode, close.closeReason());
			recorder.assertNoMoreEvents();
			assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
		}
	}

	@Test // #11
	void aListenerRepliesToAMessageThatCameWithTheHandshake() throws Exception {
		// the message may reach the listener before connect() returns: try it often
		int connections = 40;
		AtomicInteger echoed = new AtomicInteger();
		this.server = RawServer.start((connection, index) -> {
			connection.upgrade(connection.readRequest(), text("first"));
			if (connection.readFrame().text().equals("first")) {
				echoed.incrementAndGet();
			}
			answerClose(connection);
		});
		EchoingListener echoing = new EchoingListener();
		List<Throwable> failures = echoing.failures;
		for (int i = 0; i < connections; i++) {
			int expected = i + 1;
			WebSocketClient client = client(CONFIG).listener(echoing).open();
			try {
				await().atMost(WAIT).until(() -> echoed.get() == expected || !failures.isEmpty());
				assertThat(failures).isEmpty();
			}
			finally {
				client.close();
			}
		}
	}

	@Test // #11
	void aListenerClosesOnceOnAMessageThatCameWithTheHandshake() throws Exception {
		int connections = 40;
		List<String> ends = new CopyOnWriteArrayList<>();
		this.server = RawServer.start((connection, index) -> {
			connection.upgrade(connection.readRequest(), text("first"));
			RawWebSocket.Frame close = connection.readUntil(0x8);
			connection.sendClose(close.closeCode(), "");
			ends.add(close.closeCode() + (connection.readsEndOfStream() ? " then end" : " then more"));
		});
		WebSocketListener closing = (client, message) -> client.close(4000, "done");
		for (int i = 0; i < connections; i++) {
			int expected = i + 1;
			WebSocketClient client = client(CONFIG).listener(closing).open();
			try {
				await().atMost(WAIT).until(() -> ends.size() == expected);
			}
			finally {
				client.close();
			}
		}
		assertThat(ends).containsOnly("4000 then end");
	}

	@Test // #11
	void sendsThatRaceAProtocolErrorLeaveItsClose() throws Exception {
		// the sends race Tyrus closing the session: try it often
		int connections = 150;
		List<Integer> serverSaw = new CopyOnWriteArrayList<>();
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			for (int i = 0; i < 50; i++) {
				connection.readFrame();
			}
			connection.write(reservedBitsSet(text("bad")));
			try {
				serverSaw.add(connection.readUntil(0x8).closeCode());
			}
			catch (EOFException ex) {
				serverSaw.add(-1);
			}
		});
		List<String> closes = new CopyOnWriteArrayList<>();
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		WebSocketListener listener = new WebSocketListener() {

			@Override
			public void onMessage(WebSocketClient client, WebSocketMessage message) {
			}

			@Override
			public void onClose(WebSocketClient client, int code, String reason) {
				closes.add(code + " " + reason);
			}

			@Override
			public void onError(WebSocketClient client, Throwable error) {
				errors.add(error);
			}

		};
		for (int i = 0; i < connections; i++) {
			try (WebSocketClient client = client(CONFIG).listener(listener).open()) {
				sendUntilClosed(client);
			}
		}
		await().atMost(WAIT).until(() -> serverSaw.size() == connections);
		assertThat(errors).isEmpty();
		assertThat(closes).containsOnly("1002 RSV bit(s) incorrectly set.");
		assertThat(serverSaw).containsOnly(1002);
	}

	// Bounded by time, not by a count of sends: while the send queue is full a send
	// returns at once, and a busy machine delivers the server's close late.
	private static void sendUntilClosed(WebSocketClient client) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				client.send("x");
			}
			catch (SendQueueFullException ex) {
				Thread.onSpinWait();
			}
			catch (ConnectionClosedException ex) {
				return;
			}
		}
		throw new AssertionError("Still open after sending for " + WAIT);
	}

	/** Ways to send a text message that is invalid UTF-8 early and then stall. */
	enum InvalidText {

		/**
		 * Large enough for the client to collect it whole; header and first 64 bytes
		 * sent.
		 */
		LARGE_FRAME {
			@Override
			byte[] sent() {
				return Arrays.copyOf(RawWebSocket.frame(true, 0x1, invalidAt(10, MIB)), 10 + 64);
			}
		},

		/** A frame the client passes on as it comes; header and first 64 bytes sent. */
		SMALL_FRAME {
			@Override
			byte[] sent() {
				return Arrays.copyOf(RawWebSocket.frame(true, 0x1, invalidAt(10, 1000)), 4 + 64);
			}
		},

		/** A whole first fragment, and no more. */
		FIRST_FRAGMENT {
			@Override
			byte[] sent() {
				return RawWebSocket.frame(false, 0x1, invalidAt(3, 20));
			}
		},

		/** A valid first fragment, then the start of an invalid large second one. */
		LATER_FRAGMENT {
			@Override
			byte[] sent() {
				byte[] first = RawWebSocket.frame(false, 0x1, "valid".getBytes(StandardCharsets.UTF_8));
				byte[] second = RawWebSocket.frame(true, 0x0, invalidAt(10, MIB));
				return concat(first, Arrays.copyOf(second, 10 + 64));
			}
		},

		/** A sequence that starts in one fragment and goes wrong in the next. */
		SEQUENCE_ACROSS_FRAGMENTS {
			@Override
			byte[] sent() {
				byte[] first = RawWebSocket.frame(false, 0x1, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 });
				byte[] second = RawWebSocket.frame(true, 0x0, new byte[] { '(', 'b', 'c' });
				return concat(first, Arrays.copyOf(second, 3));
			}
		};

		abstract byte[] sent();

	}

	@ParameterizedTest // #11
	@EnumSource
	void invalidUtf8IsRefusedWith1007AsSoonAsTheOffendingByteArrives(InvalidText invalid) throws Exception {
		CompletableFuture<Boolean> tcpClosed = new CompletableFuture<>();
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			connection.write(invalid.sent());
			// failing the connection, the client closes TCP without waiting for an answer
			this.closeFrame.complete(connection.readUntil(0x8));
			tcpClosed.complete(connection.readsEndOfStream());
		});
		try (WebSocketClient client = client(CONFIG.toBuilder().maxMessageSize(2 * MIB).build()).open()) {
			await().atMost(PROMPTLY).until(() -> client.state() == ConnectionState.CLOSED);
			assertThat(this.closeFrame.get(WAIT.toSeconds(), TimeUnit.SECONDS).closeCode()).isEqualTo(1007);
			assertThat(tcpClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1007));
		}
	}

	@Test // #11
	void aMessageOverTheLimitIsRefusedWithoutLoggingAStackTraceWhenTheServerResets() throws Exception {
		List<LogRecord> records = new CopyOnWriteArrayList<>();
		Handler handler = new Handler() {

			@Override
			public void publish(LogRecord record) {
				records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
		Logger root = Logger.getLogger("");
		root.addHandler(handler);
		try {
			this.server = RawServer.start((connection, index) -> {
				connection.accept();
				connection.sendFrame(true, 0x2, new byte[2 * MIB]);
				this.closeFrame.complete(connection.readUntil(0x8));
				// a server that resets the connection instead of answering the close
				connection.drop();
			});
			try (WebSocketClient client = client(CONFIG.toBuilder().maxMessageSize(MIB).build()).open()) {
				assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(client::recv);
				assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
					.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1009));
			}
			this.server.close();
			this.server = null;
		}
		finally {
			root.removeHandler(handler);
		}
		assertThat(this.closeFrame.get(WAIT.toSeconds(), TimeUnit.SECONDS).closeCode()).isEqualTo(1009);
		assertThat(records)
			.filteredOn(
					(record) -> record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null)
			.extracting((record) -> record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage())
			.isEmpty();
	}

	/**
	 * Echoes each message as it arrives, keeps what sending threw, and records every
	 * call.
	 */
	private static final class EchoingListener implements WebSocketListener {

		private final List<Throwable> failures = new CopyOnWriteArrayList<>();

		private final RecordingListener recorder = new RecordingListener();

		@Override
		public void onMessage(WebSocketClient client, WebSocketMessage message) {
			try {
				client.send(message.text());
			}
			catch (RuntimeException ex) {
				this.failures.add(ex);
			}
			this.recorder.onMessage(client, message);
		}

		@Override
		public void onClose(WebSocketClient client, int code, String reason) {
			this.recorder.onClose(client, code, reason);
		}

		@Override
		public void onError(WebSocketClient client, Throwable error) {
			this.failures.add(error);
			this.recorder.onError(client, error);
		}

	}

	private static byte[] text(String text) {
		return RawWebSocket.frame(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	/** Masks an unmasked frame of up to 125 bytes, as only a client may. */
	private static byte[] masked(byte[] frame) {
		byte[] mask = { 1, 2, 3, 4 };
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(frame[0]);
		out.write(frame[1] | 0x80);
		out.writeBytes(mask);
		for (int i = 2; i < frame.length; i++) {
			out.write(frame[i] ^ mask[(i - 2) % 4]);
		}
		return out.toByteArray();
	}

	private static byte[] closeFrame(int code, byte[] reason) {
		return RawWebSocket.frame(true, 0x8, concat(new byte[] { (byte) (code >> 8), (byte) code }, reason));
	}

	private static byte[] reservedBitsSet(byte[] frame) {
		frame[0] |= 0x40;
		return frame;
	}

	private static byte[] invalidAt(int index, int length) {
		byte[] payload = new byte[length];
		Arrays.fill(payload, (byte) 'x');
		System.arraycopy(INVALID_UTF8, 0, payload, index, INVALID_UTF8.length);
		return payload;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
