package dev.wsinfra.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.testsupport.RawServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client against peers that misbehave: a hand-written server on loopback that never
 * answers, rejects, drops, ignores pings or stops reading.
 */
class WebSocketClientFaultsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int MIB = 1024 * 1024;

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.openTimeout(Duration.ofSeconds(20))
		.closeTimeout(Duration.ofSeconds(10))
		.pingInterval(null)
		.reconnectEnabled(false)
		.build();

	private final CountDownLatch release = new CountDownLatch(1);

	private RawServer server;

	@AfterEach
	void stopServer() throws IOException {
		this.release.countDown();
		if (this.server != null) {
			this.server.close();
		}
	}

	private WebSocketClient.Builder client(WebSocketConfig config) {
		return WebSocketClient.builder(this.server.uri("/ws")).config(config);
	}

	/** Keeps the connection open until the test ends or the client closes it. */
	private void holdOpen(RawWebSocket connection) throws Exception {
		this.release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void openTimeoutBoundsAHandshakeThatIsNeverAnswered() throws Exception {
		this.server = RawServer.start((connection, index) -> {
			connection.readRequest();
			holdOpen(connection);
		});
		WebSocketClient client = client(CONFIG.toBuilder().openTimeout(Duration.ofMillis(500)).build()).build();
		long start = System.nanoTime();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect)
			.withMessageContaining("did not complete within 0.5 s")
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEmpty());
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(elapsed).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv);
	}

	@Test
	void aRefusedConnectionFailsNamingIt() throws Exception {
		int port;
		try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = unused.getLocalPort();
		}
		WebSocketClient client = WebSocketClient.builder("ws://127.0.0.1:" + port + "/ws?token=secret")
			.config(CONFIG)
			.build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect)
			.withMessage("Connection to ws://127.0.0.1:" + port + "/ws was refused");
	}

	@Test
	void anUnknownHostFailsNamingIt() {
		WebSocketClient client = WebSocketClient.builder("ws://no-such-host.invalid/ws").config(CONFIG).build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect)
			.withMessage("Unknown host no-such-host.invalid");
	}

	@Test
	void aFailedTlsHandshakeFailsNamingIt() throws Exception {
		this.server = RawServer.start((connection, index) -> {
			connection.respond("HTTP/1.1 400 Bad Request");
			holdOpen(connection);
		});
		WebSocketClient client = WebSocketClient.builder("wss://127.0.0.1:" + this.server.port() + "/ws")
			.config(CONFIG)
			.build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect)
			.withMessageStartingWith("TLS handshake with wss://127.0.0.1:" + this.server.port() + "/ws failed");
	}

	@ParameterizedTest(name = "HTTP {0}")
	@ValueSource(ints = { 400, 401, 403, 404, 500 })
	void aRejectedHandshakeCarriesTheStatus(int status) throws Exception {
		this.server = RawServer.start((connection, index) -> {
			connection.readRequest();
			connection.respond("HTTP/1.1 " + status + " Nope");
			holdOpen(connection);
		});
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(() -> client(CONFIG).open())
			.withMessageEndingWith("/ws was rejected with HTTP status " + status)
			.satisfies((ex) -> assertThat(ex.httpStatus()).hasValue(status));
	}

	@Test // #11
	void aBadHandshakeHeaderIsEscapedInTheFailure() throws Exception {
		this.server = RawServer.start((connection, index) -> {
			RawWebSocket.Request request = connection.readRequest();
			connection.respond("HTTP/1.1 101 Switching Protocols", "Upgrade: web\u001b[2Jsocket", "Connection: Upgrade",
					"Sec-WebSocket-Accept: " + RawWebSocket.acceptKey(request.header("Sec-WebSocket-Key")));
			holdOpen(connection);
		});
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(() -> client(CONFIG).open())
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("web\\u001b[2Jsocket").doesNotContain("\u001b"));
	}

	@Test
	void serviceUnavailableCarriesRetryAfter() throws Exception {
		this.server = RawServer.start((connection, index) -> {
			connection.readRequest();
			connection.respond("HTTP/1.1 503 Service Unavailable", "Retry-After: 7");
			holdOpen(connection);
		});
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(() -> client(CONFIG).open())
			.satisfies((ex) -> {
				assertThat(ex.httpStatus()).hasValue(503);
				assertThat(ex.retryAfter()).contains(Duration.ofSeconds(7));
			});
	}

	@Test
	void aSingleFrameOverTheLimitRaisesToTheReaderAndClosesWith1009() throws Exception {
		CompletableFuture<Integer> closeCode = new CompletableFuture<>();
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			connection.sendText("small");
			connection.sendFrame(true, 0x2, new byte[2 * MIB]);
			RawWebSocket.Frame close = connection.readUntil(0x8);
			closeCode.complete(close.closeCode());
			connection.sendClose(close.closeCode(), "");
			connection.readsEndOfStream();
		});
		try (WebSocketClient client = client(CONFIG.toBuilder().maxMessageSize(MIB).build()).open()) {
			assertThat(client.recv().text()).isEqualTo("small");
			assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.size()).isEqualTo(2 * MIB));
			assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1009);
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1009));
		}
	}

	@Test
	void aSixteenMebibyteSingleFrameArrivesWhole() throws Exception {
		byte[] payload = new byte[16 * MIB];
		Arrays.fill(payload, (byte) 3);
		payload[0] = 1;
		payload[payload.length - 1] = 2;
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			connection.sendFrame(true, 0x2, payload);
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		try (WebSocketClient client = client(CONFIG.toBuilder().maxMessageSize(16 * MIB).build()).open()) {
			assertThat(client.recv().bytes()).isEqualTo(payload);
		}
	}

	@Test
	void closeTimeoutBoundsAPeerThatNeverAnswersTheClose() throws Exception {
		CompletableFuture<Integer> closeCode = new CompletableFuture<>();
		CompletableFuture<Boolean> tcpClosed = new CompletableFuture<>();
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			closeCode.complete(connection.readUntil(0x8).closeCode());
			tcpClosed.complete(connection.readsEndOfStream());
		});
		WebSocketClient client = client(CONFIG.toBuilder().closeTimeout(Duration.ofMillis(500)).build()).open();
		long start = System.nanoTime();
		client.close();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(elapsed).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
		assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
		assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1000);
		assertThat(tcpClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aPeerThatNeverAnswersPingsIsClosedAsDead() throws Exception {
		CompletableFuture<RawWebSocket.Frame> close = new CompletableFuture<>();
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			RawWebSocket.Frame frame = connection.readFrame();
			while (frame.opcode() == 0x9) {
				frame = connection.readFrame();
			}
			close.complete(frame);
		});
		WebSocketConfig pinging = CONFIG.toBuilder()
			.pingInterval(Duration.ofMillis(100))
			.pingTimeout(Duration.ofMillis(300))
			.build();
		try (WebSocketClient client = client(pinging).open()) {
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv).satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(1011);
				assertThat(ex.reason()).isEqualTo("keepalive ping timeout");
			});
			assertThat(client.latency()).isEmpty();
		}
		RawWebSocket.Frame frame = close.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(frame.opcode()).isEqualTo(0x8);
		assertThat(frame.closeCode()).isEqualTo(1011);
	}

	@Test
	void aDroppedConnectionEndsWith1006() throws Exception {
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			connection.sendText("only");
			connection.drop();
		});
		try (WebSocketClient client = client(CONFIG).open()) {
			assertThat(client.recv()).isEqualTo(WebSocketMessage.text("only"));
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> {
				for (WebSocketMessage message : client) {
					assertThat(message).isNotNull();
				}
			}).satisfies((ex) -> assertThat(ex.code()).isEqualTo(1006));
		}
	}

	@Test
	void aFullSendQueueRefusesTheSendAndKeepsTheConnection() throws Exception {
		AtomicInteger received = new AtomicInteger();
		CountDownLatch read = new CountDownLatch(1);
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			read.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			while (connection.readFrame().opcode() == 0x2) {
				received.incrementAndGet();
			}
			connection.sendClose(1000, "");
		});
		WebSocketConfig config = CONFIG.toBuilder().maxSendQueueSize(4).maxMessageSize(4 * MIB).build();
		try (WebSocketClient client = client(config).open()) {
			byte[] mebibyte = new byte[MIB];
			int sent = 0;
			SendQueueFullException full = null;
			while (full == null && sent < 500) {
				try {
					client.send(mebibyte);
					sent++;
				}
				catch (SendQueueFullException ex) {
					full = ex;
				}
			}
			assertThat(full).isNotNull();
			assertThat(full.limit()).isEqualTo(4);
			assertThat(full).hasMessage("Send queue is full: 4 messages are waiting to be written");
			// The writer may take one more message while the kernel's buffers still grow.
			assertThat(client.queueSize()).isBetween(1, 4);
			assertThat(client.isConnected()).isTrue();
			read.countDown();
			await().atMost(WAIT).until(() -> client.queueSize() == 0);
			int expected = sent;
			await().atMost(WAIT).until(() -> received.get() == expected);
			client.send(mebibyte);
		}
	}

	@Test
	void aFullReceiveQueueStopsReadingUntilTheReaderCatchesUp() throws Exception {
		int total = 1000;
		String chunk = "m".repeat(64 * 1024);
		AtomicInteger written = new AtomicInteger();
		this.server = RawServer.start((connection, index) -> {
			connection.accept();
			for (int i = 0; i < total; i++) {
				connection.sendText(i + ":" + chunk);
				written.incrementAndGet();
			}
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		try (WebSocketClient client = client(CONFIG.toBuilder().maxQueueSize(4).build()).open()) {
			int[] last = { -1 };
			await().pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> {
				int now = written.get();
				boolean stalled = (now == last[0]);
				last[0] = now;
				return stalled;
			});
			assertThat(written.get()).isLessThan(total);
			for (int i = 0; i < total; i++) {
				assertThat(client.recv().text()).startsWith(i + ":");
			}
			assertThat(written.get()).isEqualTo(total);
		}
	}

	@Test
	void aLateHandshakeAfterTheOpenTimeoutIsClosed() throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		CompletableFuture<Integer> closeCode = new CompletableFuture<>();
		this.server = RawServer.start((connection, index) -> {
			RawWebSocket.Request request = connection.readRequest();
			answer.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			connection.upgrade(request);
			closeCode.complete(connection.readUntil(0x8).closeCode());
		});
		WebSocketClient client = client(CONFIG.toBuilder().openTimeout(Duration.ofMillis(300)).build()).build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect);
		answer.countDown();
		assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
	}

}
