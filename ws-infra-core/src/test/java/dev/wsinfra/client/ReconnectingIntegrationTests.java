package dev.wsinfra.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.testsupport.RawServer;
import dev.wsinfra.testsupport.TomcatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link WebSocketClient#reconnecting} against servers that drop, restart, reject and
 * close.
 */
class ReconnectingIntegrationTests {

	/** Slack for timings on a shared machine: waits may run late, never early. */
	private static final Duration LATE = Duration.ofMillis(1500);

	private static final Duration EARLY = Duration.ofMillis(20);

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.openTimeout(Duration.ofSeconds(20))
		.closeTimeout(Duration.ofSeconds(5))
		.pingInterval(null)
		.reconnectBackoffBase(Duration.ofMillis(200))
		.reconnectBackoffMax(Duration.ofSeconds(2))
		.reconnectJitter(0)
		.reconnectMaxAttempts(5)
		.build();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private RawServer raw(RawServer.Script script) throws IOException {
		RawServer server = RawServer.start(script);
		this.resources.add(server);
		return server;
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	@Test
	void aServerDroppingMidStreamIsReconnectedAfterTheBackoffAndTheStreamResumes() throws Exception {
		List<Long> droppedAt = new CopyOnWriteArrayList<>();
		RawServer server = raw((connection, index) -> {
			connection.accept();
			if (index == 0) {
				for (int i = 1; i <= 3; i++) {
					connection.sendText(Integer.toString(i));
				}
				droppedAt.add(System.nanoTime());
				connection.drop();
				return;
			}
			String resume = connection.readUntil(0x1).text();
			int from = Integer.parseInt(resume.substring("resume:".length()));
			for (int i = from + 1; i <= 6; i++) {
				connection.sendText(Integer.toString(i));
			}
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		List<Integer> received = new ArrayList<>();
		int connections = 0;
		for (WebSocketClient client : WebSocketClient.reconnecting(server.uri("/ws").toString(), CONFIG)) {
			track(client);
			connections++;
			if (!received.isEmpty()) {
				client.send("resume:" + received.get(received.size() - 1));
			}
			for (WebSocketMessage message : client) {
				received.add(Integer.parseInt(message.text()));
				if (received.size() == 6) {
					break;
				}
			}
			if (received.size() < 6) {
				assertThat(client.closeCode()).hasValue(1006);
				continue;
			}
			client.close();
			break;
		}
		assertThat(received).containsExactly(1, 2, 3, 4, 5, 6);
		assertThat(connections).isEqualTo(2);
		Duration gap = Duration.ofNanos(server.acceptedAt().get(1) - droppedAt.get(0));
		assertThat(gap).isBetween(Duration.ofMillis(200).minus(EARLY), Duration.ofMillis(200).plus(LATE));
	}

	@Test // #14
	void theDocumentedLoopReconnectsAfterADropAServerErrorAndAKeepaliveTimeout() throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.accept();
			switch (index) {
				case 0 -> {
					connection.sendText("1");
					connection.sendText("2");
					connection.drop();
				}
				case 1 -> {
					connection.sendText("3");
					connection.sendClose(1011, "internal error");
					connection.readUntil(0x8);
				}
				default -> {
					connection.sendText("4");
					while (connection.readFrame().opcode() != 0x8) {
						// a dead peer: pings go unanswered
					}
				}
			}
		});
		WebSocketConfig pinging = CONFIG.toBuilder()
			.pingInterval(Duration.ofMillis(500))
			.pingTimeout(Duration.ofSeconds(1))
			.build();
		List<String> prices = new ArrayList<>();
		List<Integer> closeCodes = new ArrayList<>();
		// README.md and docs/client.md, with what the test observes added
		for (WebSocketClient ws : WebSocketClient.reconnecting(server.uri("/ws").toString(), pinging)) {
			track(ws);
			for (WebSocketMessage price : ws) {
				prices.add(price.text());
			}
			closeCodes.add(ws.closeCode().orElseThrow());
			if (closeCodes.size() == 3) {
				break;
			}
		}
		assertThat(prices).containsExactly("1", "2", "3", "4");
		assertThat(closeCodes).containsExactly(1006, 1011, 1011);
		assertThat(server.connectionCount()).isEqualTo(3);
	}

	@Test // #14
	void aCloseThatEndsTheReconnectingLoopStillThrowsFromTheInnerIteration() throws Exception {
		Iterator<WebSocketClient> clients = reconnectingTo(new ServerHandler());
		WebSocketClient client = track(clients.next());
		client.send("cmd:close:4001:token expired");
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> {
			for (WebSocketMessage message : client) {
				assertThat(message).isNull();
			}
		}).satisfies((ex) -> assertThat(ex.code()).isEqualTo(4001));
		assertThat(client.closeCode()).hasValue(4001);
		assertThat(client.closeReason()).hasValue("token expired");
	}

	@Test // #14
	void aPlainClientsIterationStillThrowsOnADrop() throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.accept();
			connection.drop();
		});
		WebSocketClient client = track(WebSocketClient.builder(server.uri("/ws")).config(CONFIG).open());
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> {
			for (WebSocketMessage message : client) {
				assertThat(message).isNull();
			}
		}).satisfies((ex) -> assertThat(ex.code()).isEqualTo(1006));
		assertThat(client.closeCode()).hasValue(1006);
	}

	private Iterator<WebSocketClient> reconnectingTo(ServerHandler handler) throws Exception {
		TomcatServer server = track(TomcatServer.start(handler, "/ws"));
		return WebSocketClient.reconnecting(server.uri("/ws").toString(), CONFIG).iterator();
	}

	@Test
	void failedAttemptsBackOffExponentiallyUpToTheCapThenGiveUpWithTheLastCause() throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.readRequest();
			connection.respond("HTTP/1.1 503 Service Unavailable");
		});
		WebSocketConfig config = CONFIG.toBuilder()
			.reconnectBackoffBase(Duration.ofMillis(100))
			.reconnectBackoffMax(Duration.ofMillis(400))
			.reconnectMaxAttempts(5)
			.build();
		Iterator<WebSocketClient> clients = WebSocketClient.reconnecting(server.uri("/ws").toString(), config)
			.iterator();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(clients::hasNext)
			.withMessageEndingWith("/ws after 5 failed attempts in a row")
			.satisfies((ex) -> {
				assertThat(ex.httpStatus()).hasValue(503);
				assertThat(ex.getCause()).isInstanceOfSatisfying(ConnectionFailedException.class,
						(cause) -> assertThat(cause.httpStatus()).hasValue(503));
			});
		assertThat(clients.hasNext()).isFalse();
		List<Long> attempts = server.acceptedAt();
		assertThat(attempts).hasSize(5);
		long[] expected = { 100, 200, 400, 400 };
		for (int i = 0; i < expected.length; i++) {
			Duration gap = Duration.ofNanos(attempts.get(i + 1) - attempts.get(i));
			assertThat(gap).as("wait before attempt %d", i + 2)
				.isBetween(Duration.ofMillis(expected[i]).minus(EARLY), Duration.ofMillis(expected[i]).plus(LATE));
		}
	}

	@Test // #14
	void aRefusedConnectionIsRetriedWithBackoffUntilTheAttemptsRunOut() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		WebSocketConfig config = CONFIG.toBuilder()
			.reconnectBackoffBase(Duration.ofMillis(100))
			.reconnectBackoffMax(Duration.ofMillis(400))
			.reconnectMaxAttempts(3)
			.build();
		Iterator<WebSocketClient> clients = WebSocketClient.reconnecting("ws://127.0.0.1:" + closedPort + "/ws", config)
			.iterator();
		long start = System.nanoTime();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(clients::hasNext)
			.withMessageEndingWith("/ws after 3 failed attempts in a row")
			.satisfies((ex) -> {
				assertThat(ex.httpStatus()).isEmpty();
				assertThat(ex.getCause()).isInstanceOf(ConnectionFailedException.class);
			});
		// two waits between three attempts: 100 ms, then 200 ms
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.isGreaterThanOrEqualTo(Duration.ofMillis(300).minus(EARLY));
		assertThat(clients.hasNext()).isFalse();
	}

	@ParameterizedTest(name = "HTTP {0}")
	@ValueSource(ints = { 401, 403, 404 })
	void aHandshakeThatCanNeverSucceedIsNotRetried(int status) throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.readRequest();
			connection.respond("HTTP/1.1 " + status + " No");
		});
		Iterator<WebSocketClient> clients = WebSocketClient.reconnecting(server.uri("/ws").toString(), CONFIG)
			.iterator();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(clients::hasNext)
			.satisfies((ex) -> assertThat(ex.httpStatus()).hasValue(status));
		assertThat(clients.hasNext()).isFalse();
		assertThat(server.connectionCount()).isEqualTo(1);
	}

	@Test
	void serviceUnavailableWaitsForRetryAfterRatherThanTheBackoff() throws Exception {
		RawServer server = raw((connection, index) -> {
			RawWebSocket.Request request = connection.readRequest();
			if (index == 0) {
				connection.respond("HTTP/1.1 503 Service Unavailable", "Retry-After: 1");
				return;
			}
			connection.upgrade(request);
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		WebSocketConfig config = CONFIG.toBuilder().reconnectBackoffBase(Duration.ofMillis(10)).build();
		WebSocketClient client = track(
				WebSocketClient.reconnecting(server.uri("/ws").toString(), config).iterator().next());
		assertThat(client.isConnected()).isTrue();
		Duration gap = Duration.ofNanos(server.acceptedAt().get(1) - server.acceptedAt().get(0));
		assertThat(gap).isBetween(Duration.ofSeconds(1).minus(EARLY), Duration.ofSeconds(1).plus(LATE));
	}

	@ParameterizedTest(name = "{0}") // #14
	@ValueSource(
			strings = { "429 Too Many Requests|3600", "503 Service Unavailable|86400", "429 Too Many Requests|date" })
	@Timeout(30)
	void aLongRetryAfterIsCappedAtTheLongestBackoff(String statusAndRetryAfter) throws Exception {
		String status = statusAndRetryAfter.substring(0, statusAndRetryAfter.indexOf('|'));
		String retryAfter = statusAndRetryAfter.substring(statusAndRetryAfter.indexOf('|') + 1);
		String header = retryAfter.equals("date")
				? DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(2))
				: retryAfter;
		RawServer server = raw((connection, index) -> {
			RawWebSocket.Request request = connection.readRequest();
			if (index == 0) {
				// header names are case-insensitive: the date case sends it in lower case
				connection.respond("HTTP/1.1 " + status,
						(retryAfter.equals("date") ? "retry-after: " : "Retry-After: ") + header);
				return;
			}
			connection.upgrade(request);
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		Duration longest = Duration.ofSeconds(1);
		WebSocketConfig config = CONFIG.toBuilder()
			.reconnectBackoffBase(Duration.ofMillis(10))
			.reconnectBackoffMax(longest)
			.build();
		WebSocketClient client = track(
				WebSocketClient.reconnecting(server.uri("/ws").toString(), config).iterator().next());
		assertThat(client.isConnected()).isTrue();
		Duration gap = Duration.ofNanos(server.acceptedAt().get(1) - server.acceptedAt().get(0));
		assertThat(gap).isBetween(longest.minus(EARLY), longest.plus(LATE));
	}

	@Test
	void unlimitedAttemptsKeepTryingPastTheDefaultLimit() throws Exception {
		RawServer server = raw((connection, index) -> {
			RawWebSocket.Request request = connection.readRequest();
			if (index < 7) {
				connection.respond("HTTP/1.1 502 Bad Gateway");
				return;
			}
			connection.upgrade(request);
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		WebSocketConfig config = CONFIG.toBuilder()
			.reconnectBackoffBase(Duration.ofMillis(10))
			.reconnectBackoffMax(Duration.ofMillis(20))
			.reconnectMaxAttempts(0)
			.build();
		WebSocketClient client = track(
				WebSocketClient.reconnecting(server.uri("/ws").toString(), config).iterator().next());
		assertThat(client.isConnected()).isTrue();
		assertThat(server.connectionCount()).isEqualTo(8);
	}

	@Test
	void aPolicyCloseEndsTheIterationWithTheClose() throws Exception {
		ServerHandler handler = new ServerHandler();
		Iterator<WebSocketClient> clients = reconnectingTo(handler);
		WebSocketClient client = track(clients.next());
		client.send("cmd:close:1008:not allowed");
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv);
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(clients::hasNext).satisfies((ex) -> {
			assertThat(ex.code()).isEqualTo(1008);
			assertThat(ex.reason()).isEqualTo("not allowed");
		});
		assertThat(clients.hasNext()).isFalse();
		handler.awaitSession();
		assertThat(handler.awaitClose().getCode()).isEqualTo(1008);
	}

	@ParameterizedTest(name = "close {0}")
	@ValueSource(ints = { 1000, 1001, 1011, 1012, 1013 })
	void aTransientCloseIsFollowedByANewConnection(int code) throws Exception {
		Iterator<WebSocketClient> clients = reconnectingTo(new ServerHandler());
		WebSocketClient first = track(clients.next());
		first.send("cmd:close:" + code + ":restarting");
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(first::recv)
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(code));
		WebSocketClient second = track(clients.next());
		second.send("again");
		assertThat(second.recv().text()).isEqualTo("again");
		assertThat(second).isNotSameAs(first);
	}

	@Test
	void aDeadPeerIsReplacedByANewConnection() throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.accept();
			if (index == 0) {
				while (connection.readFrame().opcode() != 0x8) {
					// a dead peer: pings go unanswered
				}
				return;
			}
			connection.sendText("alive");
			connection.readUntil(0x8);
			connection.sendClose(1000, "");
		});
		WebSocketConfig pinging = CONFIG.toBuilder()
			.pingInterval(Duration.ofMillis(100))
			.pingTimeout(Duration.ofMillis(300))
			.build();
		Iterator<WebSocketClient> clients = WebSocketClient.reconnecting(server.uri("/ws").toString(), pinging)
			.iterator();
		WebSocketClient first = track(clients.next());
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(first::recv)
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1011));
		WebSocketClient second = track(clients.next());
		assertThat(second.recv().text()).isEqualTo("alive");
	}

	@Test
	void withReconnectionDisabledTheIterationEndsWithTheFirstConnection() throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.accept();
			connection.drop();
		});
		WebSocketConfig once = CONFIG.toBuilder().reconnectEnabled(false).build();
		Iterator<WebSocketClient> clients = WebSocketClient.reconnecting(server.uri("/ws").toString(), once).iterator();
		WebSocketClient first = track(clients.next());
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(first::recv);
		assertThat(clients.hasNext()).isFalse();
		assertThat(server.connectionCount()).isEqualTo(1);
	}

	@Test
	void withReconnectionDisabledAFailedFirstAttemptThrows() throws Exception {
		RawServer server = raw((connection, index) -> {
			connection.readRequest();
			connection.respond("HTTP/1.1 503 Service Unavailable");
		});
		WebSocketConfig once = CONFIG.toBuilder().reconnectEnabled(false).build();
		Iterator<WebSocketClient> clients = WebSocketClient.reconnecting(server.uri("/ws").toString(), once).iterator();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(clients::hasNext);
		assertThat(server.connectionCount()).isEqualTo(1);
	}

	@Test
	void movingOnClosesThePreviousConnectionAndOpensANewOne() throws Exception {
		ServerHandler handler = new ServerHandler();
		TomcatServer server = track(TomcatServer.start(handler, "/ws"));
		WebSocketClient.Builder builder = WebSocketClient.builder(server.uri("/ws"))
			.config(CONFIG)
			.header("X-Attempt", "yes");
		Iterator<WebSocketClient> clients = builder.reconnecting().iterator();
		builder.header("X-Later", "ignored");
		WebSocketClient first = track(clients.next());
		assertThat(handler.awaitHandshakeHeaders().getFirst("X-Attempt")).isEqualTo("yes");
		WebSocketClient second = track(clients.next());
		assertThat(handler.awaitClose().getCode()).isEqualTo(1000);
		assertThat(first.isConnected()).isFalse();
		assertThat(second.isConnected()).isTrue();
		assertThat(handler.awaitHandshakeHeaders()).satisfies((headers) -> {
			assertThat(headers.getFirst("X-Attempt")).isEqualTo("yes");
			assertThat(headers.containsHeader("X-Later")).isFalse();
		});
	}

	@Test
	void headersGivenToTheShorthandReachTheServer() throws Exception {
		ServerHandler handler = new ServerHandler();
		TomcatServer server = track(TomcatServer.start(handler, "/ws"));
		track(WebSocketClient.reconnecting(server.uri("/ws").toString(), CONFIG, Map.of("Authorization", "Bearer k"))
			.iterator()
			.next());
		assertThat(handler.awaitHandshakeHeaders().getFirst("Authorization")).isEqualTo("Bearer k");
	}

}
