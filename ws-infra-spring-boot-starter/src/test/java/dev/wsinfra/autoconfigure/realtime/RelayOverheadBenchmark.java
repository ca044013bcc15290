package dev.wsinfra.autoconfigure.realtime;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures what the relay adds to each audio delta: the latency from the provider's write
 * to the browser's read, and the process CPU per delta, through the relay and straight
 * from the provider stand-in, in one JVM on loopback. Not a test (its name keeps it out
 * of the builds): run it with
 * {@code ./mvnw -pl ws-infra-spring-boot-starter -am test -Dtest=RelayOverheadBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; it prints its table and writes it to
 * {@code target/relay-overhead.txt}.
 */
@SpringBootTest(classes = RelayTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.realtime.enabled=true",
				"ws.realtime.url=${stand-ins.openai}", "ws.realtime.api-key=" + RelayTestApplication.API_KEY,
				"ws.realtime.max-sessions-per-user=0", "logging.level.root=WARN" })
class RelayOverheadBenchmark extends StandInRelayTests {

	private static final int WARMUP = 5000;

	private static final int DELTAS = 10000;

	private static final int ROUNDS = 3;

	/** 500 deltas of 100 ms of audio a second: five times faster than real time. */
	private static final long INTERVAL_MICROS = 2000;

	@Test
	void measure() throws Exception {
		URI direct = URI.create(standIns.openAiUrl() + "?model=bench");
		URI relay = URI.create("ws://127.0.0.1:" + this.port + "/ws/realtime?scenario=bench");
		String token = "Bearer " + TestTokens.user("bench").sign();
		run(direct, WARMUP, "Bearer x");
		run(relay, WARMUP, token);
		StringBuilder table = new StringBuilder(
				"| round | path | deltas | p50 latency | p99 latency | mean latency | CPU per delta |\n"
						+ "|---|---|---|---|---|---|---|\n");
		double[][] added = new double[4][ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			Result straight = run(direct, DELTAS, "Bearer x");
			Result relayed = run(relay, DELTAS, token);
			assertThat(relayed.count).isEqualTo(DELTAS);
			table.append(straight.row(round + 1, "provider → browser"));
			table.append(relayed.row(round + 1, "provider → relay → browser"));
			added[0][round] = relayed.p50 - straight.p50;
			added[1][round] = relayed.p99 - straight.p99;
			added[2][round] = relayed.mean - straight.mean;
			added[3][round] = relayed.cpuPerDelta - straight.cpuPerDelta;
		}
		table.append(String.format(Locale.ROOT,
				"| median of rounds | added by the relay | | %.0f µs | %.0f µs | %.0f µs | %.1f µs |%n",
				median(added[0]), median(added[1]), median(added[2]), median(added[3])));
		System.out.println(table);
		Files.writeString(Path.of("target/relay-overhead.txt"), table);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private Result run(URI uri, int count, String authorization) throws Exception {
		Receiver receiver = new Receiver(count);
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization", authorization)
			.buildAsync(uri, receiver)
			.get(20, TimeUnit.SECONDS);
		if (uri.getPath().equals("/ws/realtime")) {
			// the relay's own provider connection must be open before the clock starts
			receiver.sessionCreated.get(20, TimeUnit.SECONDS);
		}
		long cpuBefore = cpuNanos();
		socket.sendText("{\"type\":\"response.create\",\"response\":{\"metadata\":{\"count\":" + count
				+ ",\"interval_us\":" + INTERVAL_MICROS + "}}}", true);
		receiver.done.get(Duration.ofSeconds(count * INTERVAL_MICROS / 1_000_000 + 60).toSeconds(), TimeUnit.SECONDS);
		long cpu = cpuNanos() - cpuBefore;
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		long[] latencies = Arrays.copyOf(receiver.latencies, receiver.received);
		Arrays.sort(latencies);
		return new Result(receiver.received, latencies[latencies.length / 2] / 1000.0,
				latencies[(int) (latencies.length * 0.99)] / 1000.0,
				Arrays.stream(latencies).average().orElse(0) / 1000.0, cpu / 1000.0 / receiver.received);
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private record Result(int count, double p50, double p99, double mean, double cpuPerDelta) {

		String row(int round, String path) {
			return String.format(Locale.ROOT, "| %d | %s | %d | %.0f µs | %.0f µs | %.0f µs | %.1f µs |%n", round, path,
					this.count, this.p50, this.p99, this.mean, this.cpuPerDelta);
		}

	}

	/** Stamps each delta's arrival against the send time in its event_id. */
	private static final class Receiver implements WebSocket.Listener {

		final long[] latencies;

		int received;

		final CompletableFuture<Void> sessionCreated = new CompletableFuture<>();

		final CompletableFuture<Void> done = new CompletableFuture<>();

		private final StringBuilder text = new StringBuilder();

		Receiver(int count) {
			this.latencies = new long[count];
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			long now = System.nanoTime();
			this.text.append(data);
			if (last) {
				String message = this.text.toString();
				this.text.setLength(0);
				if (message.startsWith("{\"type\":\"response.output_audio.delta\",\"event_id\":\"")) {
					int start = message.indexOf("\"event_id\":\"") + 12;
					long sent = Long.parseLong(message.substring(start, message.indexOf('"', start)));
					if (this.received < this.latencies.length) {
						this.latencies[this.received++] = now - sent;
					}
				}
				else if (message.contains("\"session.created\"")) {
					this.sessionCreated.complete(null);
				}
				else if (message.contains("\"response.done\"")) {
					this.done.complete(null);
				}
			}
			webSocket.request(1);
			return null;
		}

	}

}
