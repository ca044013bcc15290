package dev.wsinfra.samples.outage;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.samples.testsupport.RedisSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on Redis as a process of its own, sent {@code SIGTERM} while Redis is
 * stopped or stalled and its scheduled tasks keep asking Redis: it exits within a few
 * seconds, well within Spring's 30 s shutdown phase.
 */
class ShutdownDuringRedisOutageIntegrationTests {

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static final Duration EXIT = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Process process;

	private Path log;

	@AfterEach
	void cleanUp() throws Exception {
		if (this.process != null) {
			this.process.destroyForcibly().waitFor(EXIT.toSeconds(), TimeUnit.SECONDS);
		}
		redis.resume();
		redis.start();
		if (this.log != null) {
			Files.deleteIfExists(this.log);
		}
	}

	@ParameterizedTest // #11
	@EnumSource(Outage.class)
	void sigtermEndsTheProcessWithinAFewSeconds(Outage outage) throws Exception {
		int port = freePort();
		start(port);
		await().atMost(STARTUP).ignoreExceptions().until(() -> get(port, "/actuator/health/liveness") == 200);
		outage.begin(redis);
		// The instance knows: its websocket health contributor no longer reaches Redis.
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> !JSON.readTree(body(port, "/actuator/health/websocket"))
				.path("details")
				.path("backendConnected")
				.asBoolean(true));
		long start = System.nanoTime();
		this.process.destroy();
		boolean exited = this.process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(exited).as("exited within " + EXIT + " of SIGTERM; log:%n%s", tail()).isTrue();
		System.out.println("SIGTERM with Redis " + outage + ": exited after " + took.toMillis() + " ms");
	}

	private void start(int port) throws IOException {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), SamplesApplication.class.getName()));
		command.addAll(RedisSample.arguments(redis.port(), "t" + UUID.randomUUID().toString().substring(0, 8) + ":"));
		command.addAll(List.of("--server.port=" + port, "--samples.stocks.interval=200ms",
				"--samples.dashboard.interval=200ms"));
		this.log = Files.createTempFile("sample-shutdown-", ".log");
		this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(this.log.toFile()).start();
	}

	private int get(int port, String path) throws Exception {
		return this.http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private String body(int port, String path) throws Exception {
		return this.http.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
	}

	private String tail() throws IOException {
		List<String> lines = Files.readAllLines(this.log);
		return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** How Redis fails. */
	enum Outage {

		/** The process is gone: connections are refused. */
		STOPPED {

			@Override
			void begin(RedisServer redis) {
				redis.stop();
			}

		},

		/** The process is stopped: connections are accepted, nothing is answered. */
		STALLED {

			@Override
			void begin(RedisServer redis) throws Exception {
				redis.pause();
			}

		};

		abstract void begin(RedisServer redis) throws Exception;

	}

}
