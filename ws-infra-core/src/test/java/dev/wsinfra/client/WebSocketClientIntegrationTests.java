package dev.wsinfra.client;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.testsupport.TomcatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client against a real Spring WebSocket server on embedded Tomcat.
 */
class WebSocketClientIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.openTimeout(WAIT)
		.closeTimeout(Duration.ofSeconds(10))
		.pingInterval(null)
		.build();

	private static final int MIB = 1024 * 1024;

	private final ServerHandler handler = new ServerHandler("chat", "realtime");

	private TomcatServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = TomcatServer.start(this.handler, "/ws");
	}

	@AfterEach
	void stopServer() throws Exception {
		this.server.close();
	}

	private WebSocketClient.Builder client() {
		return WebSocketClient.builder(this.server.uri("/ws")).config(CONFIG);
	}

	record Greeting(String type, String text) {
	}

	@Test
	void echoesTextBinaryAndJson() {
		try (WebSocketClient client = client().open()) {
			assertThat(client.isConnected()).isTrue();
			assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
			client.send("hello");
			assertThat(client.recv()).isEqualTo(WebSocketMessage.text("hello"));
			client.send(new byte[] { 1, 2, 3 });
			assertThat(client.recv()).isEqualTo(WebSocketMessage.binary(new byte[] { 1, 2, 3 }));
			ByteBuffer buffer = ByteBuffer.wrap(new byte[] { 9, 8, 7, 6 }).position(1);
			client.send(buffer);
			assertThat(buffer.position()).isEqualTo(1);
			assertThat(client.recv(WAIT)).contains(WebSocketMessage.binary(new byte[] { 8, 7, 6 }));
			client.sendJson(new Greeting("greeting", "hi"));
			JsonNode json = client.recvJson();
			assertThat(json.get("type").asString()).isEqualTo("greeting");
			assertThat(json.get("text").asString()).isEqualTo("hi");
			client.sendJson(Map.of("type", "greeting", "text", "again"));
			assertThat(client.recvJson(Greeting.class)).isEqualTo(new Greeting("greeting", "again"));
		}
	}

	@Test
	void recvWithATimeoutIsEmptyWhenNothingArrives() {
		try (WebSocketClient client = client().open()) {
			assertThat(client.recv(Duration.ofMillis(100))).isEmpty();
		}
	}

	@Test
	void serverSeesTheHeadersAndTheClientSeesTheChosenSubprotocol() throws Exception {
		try (WebSocketClient client = client().header("Authorization", "Bearer secret-token")
			.header("OpenAI-Beta", "realtime=v1")
			.subprotocols("realtime", "chat")
			.open()) {
			HttpHeaders headers = this.handler.awaitHandshakeHeaders();
			assertThat(headers.getFirst("Authorization")).isEqualTo("Bearer secret-token");
			assertThat(headers.getFirst("OpenAI-Beta")).isEqualTo("realtime=v1");
			assertThat(headers.get("Sec-WebSocket-Protocol")).asString().contains("realtime");
			assertThat(client.subprotocol()).contains("realtime");
		}
	}

	@Test
	void noSubprotocolIsReportedWhenNoneWasOffered() {
		try (WebSocketClient client = client().open()) {
			assertThat(client.subprotocol()).isEmpty();
		}
	}

	@Test
	void keepalivePingsMeasureTheLatency() {
		WebSocketConfig pinging = CONFIG.toBuilder()
			.pingInterval(Duration.ofMillis(100))
			.pingTimeout(Duration.ofSeconds(10))
			.build();
		try (WebSocketClient client = client().config(pinging).open()) {
			assertThat(client.latency()).isEmpty();
			await().atMost(WAIT).until(() -> client.latency().isPresent());
			assertThat(client.latency().get()).isPositive().isLessThan(Duration.ofSeconds(10));
			assertThat(client.isConnected()).isTrue();
		}
	}

	@Test
	void closeRunsTheHandshakeWithTheGivenCodeWellWithinTheCloseTimeout() throws Exception {
		WebSocketClient client = client().open();
		client.send("last words");
		long start = System.nanoTime();
		client.close(4000, "done here");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(this.handler.awaitText()).isEqualTo("last words");
		assertThat(this.handler.awaitClose().getCode()).isEqualTo(4000);
		assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
		assertThat(client.isConnected()).isFalse();
		assertThat(client.iterator().hasNext()).isFalse();
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> client.send("too late"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(4000));
		client.close();
	}

	@Test
	void aReaderBlockedInRecvGetsThePeersCodeAndReason() throws Exception {
		try (WebSocketClient client = client().open()) {
			ExecutorService reader = Executors.newSingleThreadExecutor();
			try {
				Future<WebSocketMessage> blocked = reader.submit(() -> client.recv());
				client.send("cmd:close:4001:go away");
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS))
					.havingCause()
					.isInstanceOfSatisfying(ConnectionClosedException.class, (ex) -> {
						assertThat(ex.code()).isEqualTo(4001);
						assertThat(ex.reason()).isEqualTo("go away");
					});
			}
			finally {
				reader.shutdownNow();
			}
			assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
		}
	}

	@Test
	void iterationYieldsMessagesThenEndsQuietlyOnANormalClose() {
		try (WebSocketClient client = client().open()) {
			client.send("one");
			client.send("two");
			client.send("cmd:close:1000:bye");
			List<String> received = new ArrayList<>();
			for (WebSocketMessage message : client) {
				received.add(message.text());
			}
			assertThat(received).containsExactly("one", "two");
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1000));
		}
	}

	@Test
	void iterationThrowsWhenTheServerClosesWithAnError() {
		try (WebSocketClient client = client().open()) {
			client.send("cmd:close:1011:broken");
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> {
				for (WebSocketMessage message : client) {
					assertThat(message).isNotNull();
				}
			}).satisfies((ex) -> assertThat(ex.code()).isEqualTo(1011));
		}
	}

	@Test
	void messageOverTheLimitRaisesToTheReaderAndClosesWith1009() throws Exception {
		WebSocketConfig oneMebibyte = CONFIG.toBuilder().maxMessageSize(MIB).build();
		try (WebSocketClient client = client().config(oneMebibyte).open()) {
			client.send("before");
			assertThat(client.recv().text()).isEqualTo("before");
			client.send("cmd:large:" + 2 * MIB);
			assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(client::recv).satisfies((ex) -> {
				assertThat(ex.limit()).isEqualTo(MIB);
				assertThat(ex.size()).isGreaterThan(MIB);
			});
			assertThat(this.handler.awaitClose().getCode()).isEqualTo(1009);
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1009));
		}
	}

	@Test
	void sixteenMebibyteMessagesWorkWhenConfigured() {
		WebSocketConfig audio = CONFIG.toBuilder().maxMessageSize(16 * MIB).build();
		byte[] payload = new byte[16 * MIB];
		Arrays.fill(payload, (byte) 7);
		payload[payload.length - 1] = 42;
		try (WebSocketClient client = client().config(audio).open()) {
			client.send(payload);
			assertThat(client.recv().bytes()).isEqualTo(payload);
			String text = "a".repeat(16 * MIB);
			client.send(text);
			assertThat(client.recv().text()).isEqualTo(text);
		}
	}

	@Test
	void sendingOverTheLimitFailsBeforeAnythingIsSent() throws Exception {
		WebSocketConfig small = CONFIG.toBuilder().maxMessageSize(1000).build();
		try (WebSocketClient client = client().config(small).open()) {
			assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(() -> client.send("é".repeat(501)))
				.satisfies((ex) -> assertThat(ex.size()).isEqualTo(1002));
			assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(() -> client.send(new byte[1001]));
			assertThat(client.queueSize()).isZero();
			client.send("fits");
			assertThat(this.handler.awaitText()).isEqualTo("fits");
			assertThat(client.recv().text()).isEqualTo("fits");
			assertThat(client.isConnected()).isTrue();
		}
	}

	@Test
	void sendsFromManyThreadsArriveWholeAndInEachThreadsOrder() throws Exception {
		int threads = 8;
		int perThread = 200;
		WebSocketConfig roomy = CONFIG.toBuilder().maxSendQueueSize(threads * perThread).build();
		try (WebSocketClient client = client().config(roomy).open()) {
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService senders = Executors.newFixedThreadPool(threads);
			List<Throwable> failures = new CopyOnWriteArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				senders.execute(() -> {
					try {
						start.await();
						for (int i = 0; i < perThread; i++) {
							client.send(thread + ":" + i + ":" + "p".repeat(i % 50));
						}
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				});
			}
			start.countDown();
			senders.shutdown();
			assertThat(senders.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(failures).isEmpty();
			int[] next = new int[threads];
			for (int n = 0; n < threads * perThread; n++) {
				String[] parts = client.recv().text().split(":", -1);
				int thread = Integer.parseInt(parts[0]);
				assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]);
				assertThat(parts[2]).hasSize(next[thread] % 50);
				next[thread]++;
			}
			assertThat(next).containsOnly(perThread);
			await().atMost(WAIT).until(() -> client.queueSize() == 0);
		}
	}

	@Test
	void listenerReceivesMessagesThenTheClose() throws Exception {
		RecordingListener listener = new RecordingListener();
		WebSocketClient client = client().listener(listener).open();
		client.send("hello");
		listener.assertMessage(WebSocketMessage.text("hello"));
		client.send("cmd:close:4002:finished");
		listener.assertClose(4002, "finished");
		assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
		listener.assertNoMoreEvents();
	}

	@Test
	void aListenerThatThrowsFailsTheConnectionWith1011() throws Exception {
		RecordingListener listener = new RecordingListener();
		listener.failOnMessage(new IllegalStateException("boom"));
		WebSocketClient client = client().listener(listener).open();
		client.send("hello");
		listener.assertMessage(WebSocketMessage.text("hello"));
		listener.assertError(IllegalStateException.class);
		listener.assertClose(1011, "Listener failed");
		assertThat(this.handler.awaitClose().getCode()).isEqualTo(1011);
	}

	@Test
	void aClientWithAListenerCannotBeReadFrom() {
		try (WebSocketClient client = client().listener((c, m) -> {
		}).open()) {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(client::recv);
		}
	}

}
