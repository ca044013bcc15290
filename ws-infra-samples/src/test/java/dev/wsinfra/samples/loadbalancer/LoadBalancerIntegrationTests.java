package dev.wsinfra.samples.loadbalancer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.samples.testsupport.RedisSample;
import dev.wsinfra.server.ConnectionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The NGINX and HAProxy configurations of {@code docs/load-balancing}, run by Debian's
 * {@code nginx} and {@code haproxy} in front of two instances of the sample on Redis,
 * with traffic: authenticated upgrades, idle connections, a rolling restart and a Redis
 * outage.
 */
class LoadBalancerIntegrationTests {

	/**
	 * The proxies' idle timeout for upgraded connections, three times the ping interval.
	 */
	private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration PING_INTERVAL = Duration.ofSeconds(1);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.reconnectEnabled(false)
		// only the server pings: what keeps a connection alive through the proxy is
		// its keepalive
		.pingInterval(null)
		.openTimeout(Duration.ofSeconds(10))
		.build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SECRET = "a-shared-secret-for-both-instances-" + UUID.randomUUID();

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final List<Integer> ports = new ArrayList<>();

	private static final List<ConfigurableApplicationContext> instances = new CopyOnWriteArrayList<>();

	private static String prefix;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@TempDir
	Path directory;

	@BeforeAll
	static void startTwoInstances() throws IOException {
		prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
		for (int i = 0; i < 2; i++) {
			ports.add(freePort());
			instances.add(startInstance(i, "lb" + i));
		}
	}

	private static ConfigurableApplicationContext startInstance(int index, String instanceId) {
		List<String> arguments = new ArrayList<>(RedisSample.arguments(redis.port(), prefix));
		arguments.addAll(List.of("--server.port=" + ports.get(index), "--ws.redis.instance-id=" + instanceId,
				"--ws.auth.jwt.secret=" + SECRET, "--ws.ping-interval=" + PING_INTERVAL.toSeconds(),
				"--ws.shutdown.drain-period=1s"));
		return new SpringApplicationBuilder(SamplesApplication.class).run(arguments.toArray(String[]::new));
	}

	@AfterAll
	static void stopInstances() {
		instances.forEach(ConfigurableApplicationContext::close);
		instances.clear();
		ports.clear();
	}

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@ParameterizedTest // #14
	@EnumSource(LoadBalancer.class)
	void aBearerSubprotocolAndAQueryTokenUpgradeThroughTheProxyWhichLogsNeitherToken(LoadBalancer balancer)
			throws Exception {
		ProxyProcess proxy = start(balancer);
		String aliceToken = token("alice");
		String bobToken = token("bob");
		WebSocketClient alice = track(WebSocketClient.builder(proxy.url("ws", "/ws/chat/through-the-proxy"))
			.subprotocols("bearer", aliceToken)
			.config(CONFIG)
			.open());
		assertThat(alice.subprotocol()).hasValue("bearer");
		assertThat(next(alice).path("message").asString()).isEqualTo("alice joined the room");
		WebSocketClient bob = track(
				WebSocketClient.builder(proxy.url("ws", "/ws/chat/through-the-proxy?token=" + bobToken))
					.config(CONFIG)
					.open());
		assertThat(next(bob).path("message").asString()).isEqualTo("bob joined the room");
		assertThat(next(alice).path("message").asString()).isEqualTo("bob joined the room");
		bob.sendJson(Map.of("message", "hello through " + balancer));
		assertThat(next(alice).path("message").asString()).isEqualTo("hello through " + balancer);

		// a proxy logs a WebSocket request when its connection ends
		alice.close();
		bob.close();
		await().atMost(WAIT).until(() -> count(proxy.accessLog(), "/ws/chat/through-the-proxy") >= 2);
		assertThat(proxy.accessLog()).doesNotContain(aliceToken).doesNotContain(bobToken).doesNotContain("token=");
	}

	@ParameterizedTest // #14
	@EnumSource(LoadBalancer.class)
	void anIdleConnectionOutlivesTheProxysIdleTimeoutOnTheServersKeepalive(LoadBalancer balancer) throws Exception {
		ProxyProcess proxy = start(balancer);
		PingCountingListener listener = new PingCountingListener();
		WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create(proxy.url("ws", "/ws/echo")), listener)
			.get(10, TimeUnit.SECONDS);
		this.resources.add(() -> socket.abort());
		long start = System.nanoTime();
		// idle but for the server's pings, for more than twice the proxy's idle timeout
		await().atMost(WAIT).until(() -> listener.pings.get() >= 7 || listener.closed.isDone());
		assertThat(listener.closed).as("closed by the proxy or the server").isNotDone();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(IDLE_TIMEOUT.multipliedBy(2));
		socket.sendText("still here", true).get(10, TimeUnit.SECONDS);
		await().atMost(WAIT).until(() -> listener.texts.contains("still here"));
	}

	@ParameterizedTest // #14
	@EnumSource(LoadBalancer.class)
	void theHealthCheckPathKeepsBothInstancesInRotationDuringARedisOutage(LoadBalancer balancer) throws Exception {
		ProxyProcess proxy = start(balancer);
		redis.stop();
		try {
			for (int port : ports) {
				await().atMost(WAIT)
					.ignoreExceptions()
					.until(() -> !JSON.readTree(get("http://127.0.0.1:" + port + "/actuator/health/websocket").body())
						.path("details")
						.path("backendConnected")
						.asBoolean(true));
			}
			// what monitoring reads answers 503; what routing reads stays 200, through
			// the proxy too
			assertThat(get(proxy.url("http", "/actuator/health")).statusCode()).isEqualTo(503);
			await().during(Duration.ofSeconds(3))
				.atMost(WAIT)
				.until(() -> get(proxy.url("http", "/actuator/health/readiness")).statusCode() == 200);
			if (balancer == LoadBalancer.HAPROXY) {
				assertThat(haproxyServerStates(proxy)).containsOnly("UP");
			}
			int[] before = connectionCounts();
			List<WebSocketClient> clients = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				clients.add(track(WebSocketClient.builder(proxy.url("ws", "/ws/echo")).config(CONFIG).open()));
			}
			for (WebSocketClient client : clients) {
				client.send("during the outage");
				assertThat(client.recv(WAIT)).map((message) -> message.text()).hasValue("during the outage");
			}
			int[] after = connectionCounts();
			assertThat(after[0]).as("connections on the first instance").isGreaterThan(before[0]);
			assertThat(after[1]).as("connections on the second instance").isGreaterThan(before[1]);
		}
		finally {
			redis.start();
		}
		for (int port : ports) {
			await().atMost(WAIT).until(() -> get("http://127.0.0.1:" + port + "/actuator/health").statusCode() == 200);
		}
		// Healthy again is not yet hearing again: the subscriptions reconnect on their
		// own schedule, which took up to a few seconds here; later tests need both.
		await().atMost(Duration.ofSeconds(90)).until(this::aRoomMessageCrossesInstances);
	}

	/**
	 * Whether a chat message sent on the second instance reaches a member on the first.
	 */
	private boolean aRoomMessageCrossesInstances() throws Exception {
		String room = "/ws/chat/crossing-" + UUID.randomUUID();
		try (WebSocketClient alice = WebSocketClient.builder("ws://127.0.0.1:" + ports.get(0) + room)
			.subprotocols("bearer", token("alice"))
			.config(CONFIG)
			.open();
				WebSocketClient bob = WebSocketClient.builder("ws://127.0.0.1:" + ports.get(1) + room)
					.subprotocols("bearer", token("bob"))
					.config(CONFIG)
					.open()) {
			bob.sendJson(Map.of("message", "across"));
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (System.nanoTime() < deadline) {
				if (alice.recv(Duration.ofNanos(deadline - System.nanoTime()))
					.map((message) -> message.text().contains("across"))
					.orElse(false)) {
					return true;
				}
			}
			return false;
		}
	}

	@ParameterizedTest // #14
	@EnumSource(LoadBalancer.class)
	void aRollingRestartMovesClientsToTheOtherInstanceWith1001AndNoFailedHandshake(LoadBalancer balancer)
			throws Exception {
		ProxyProcess proxy = start(balancer);
		List<WebSocketClient> clients = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			clients.add(track(WebSocketClient.builder(proxy.url("ws", "/ws/echo")).config(CONFIG).open()));
		}
		// a client's handshake completes a moment before the server registers its session
		await().atMost(WAIT).until(() -> IntStream.of(connectionCounts()).sum() == clients.size());
		int onFirst = connectionCounts()[0];
		assertThat(onFirst).as("clients the proxy sent to the first instance").isPositive();

		HandshakeProbe probe = new HandshakeProbe(proxy.url("ws", "/ws/echo"));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> probing = executor.submit(probe);
			instances.get(0).close();
			List<WebSocketClient> moved = new ArrayList<>();
			for (WebSocketClient client : clients) {
				await().atMost(WAIT).until(() -> client.closeCode().isPresent() || echoes(client));
				if (client.closeCode().isPresent()) {
					assertThat(client.closeCode()).hasValue(1001);
					moved.add(track(WebSocketClient.builder(proxy.url("ws", "/ws/echo")).config(CONFIG).open()));
				}
			}
			assertThat(moved).hasSize(onFirst);
			for (WebSocketClient client : moved) {
				assertThat(echoes(client)).isTrue();
			}

			instances.set(0, startInstance(0, "lb0-restarted"));
			List<WebSocketClient> later = new ArrayList<>();
			await().atMost(WAIT).until(() -> {
				later.add(track(WebSocketClient.builder(proxy.url("ws", "/ws/echo")).config(CONFIG).open()));
				return connectionCounts()[0] > 0;
			});
			probe.stop();
			probing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			probe.stop();
			executor.shutdownNow();
			if (!instances.get(0).isActive()) {
				instances.set(0, startInstance(0, "lb0-restarted"));
			}
		}
		assertThat(probe.failures).as("handshakes refused during the restart").isEmpty();
		assertThat(probe.attempts.get()).isGreaterThan(5);
	}

	private ProxyProcess start(LoadBalancer balancer) throws IOException {
		LoadBalancer.Settings settings = new LoadBalancer.Settings(this.directory.resolve(balancer.executable()),
				freePort(), freePort(), ports, IDLE_TIMEOUT);
		return track(ProxyProcess.start(balancer, settings));
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private static boolean echoes(WebSocketClient client) {
		if (!client.isConnected()) {
			return false;
		}
		String text = "echo " + UUID.randomUUID();
		client.send(text);
		return client.recv(WAIT).map((message) -> message.text().equals(text)).orElse(false);
	}

	private static int[] connectionCounts() {
		return instances.stream()
			.mapToInt((instance) -> instance.isActive() ? localConnections(instance) : 0)
			.toArray();
	}

	private static int localConnections(ConfigurableApplicationContext instance) {
		return instance.getBean(ConnectionManager.class).connectionCount();
	}

	private String token(String user) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(0) + "/dev/token"))
			.timeout(WAIT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("user", user))))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body()).path("token").asString();
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Returns the state of each server of the WebSocket backend, from HAProxy's CSV
	 * status.
	 */
	private List<String> haproxyServerStates(ProxyProcess proxy) throws Exception {
		String csv = get("http://127.0.0.1:" + proxy.statsPort() + "/stats;csv").body();
		List<String> states = new ArrayList<>();
		for (String line : csv.split("\n")) {
			String[] fields = line.split(",");
			if (fields.length > 17 && fields[0].equals("websocket_back") && fields[1].startsWith("app")) {
				states.add(fields[17]);
			}
		}
		assertThat(states).as(csv).hasSize(ports.size());
		return states;
	}

	private static JsonNode next(WebSocketClient client) {
		return client.recv(WAIT).orElseThrow(() -> new AssertionError("no message within " + WAIT)).json();
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Opens and closes a connection through the proxy again and again, recording
	 * failures.
	 */
	private static final class HandshakeProbe implements Runnable {

		private final String url;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger attempts = new AtomicInteger();

		private final List<String> failures = new CopyOnWriteArrayList<>();

		HandshakeProbe(String url) {
			this.url = url;
		}

		@Override
		public void run() {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (this.running.get() && System.nanoTime() < deadline) {
				this.attempts.incrementAndGet();
				try (WebSocketClient client = WebSocketClient.builder(this.url).config(CONFIG).open()) {
					echoes(client);
				}
				catch (ConnectionClosedException ex) {
					// accepted just before the instance began to drain: its clients
					// get 1001
					if (ex.code() != 1001) {
						this.failures.add(ex.toString());
					}
				}
				catch (RuntimeException ex) {
					this.failures.add(ex.toString());
				}
			}
		}

		void stop() {
			this.running.set(false);
		}

	}

	/** Counts the server's pings and keeps the texts received. */
	private static final class PingCountingListener implements WebSocket.Listener {

		private final AtomicInteger pings = new AtomicInteger();

		private final List<String> texts = new CopyOnWriteArrayList<>();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
			this.pings.incrementAndGet();
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.texts.add(data.toString());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}
