package dev.wsinfra.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * A broadcast to N connections: one JSON encoding, N queue offers on the caller, and the
 * writers draining the queues into sessions that discard what they get. With
 * {@code flush=true} an operation lasts until every message was written; with
 * {@code flush=false} it measures the caller's share only, the writers trimming queues that
 * outgrow them ({@link SlowConsumerPolicy#DROP_OLDEST}), so that no connection is closed and
 * every operation still reaches all of them. A trial that lost connections fails.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BroadcastBenchmark {

	@Param({ "100", "1000", "5000" })
	public int connections;

	@Param({ "true", "false" })
	public boolean flush;

	private final LongAdder written = new LongAdder();

	private InMemoryConnectionManager manager;

	private Tick tick;

	@Setup(Level.Trial)
	public void connect() {
		ConnectionManagerSettings settings = ConnectionManagerSettings.builder()
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
			.build();
		this.manager = new InMemoryConnectionManager(settings, JsonMapper.builder().build());
		for (int i = 0; i < this.connections; i++) {
			this.manager.connect("user" + i, new DiscardingSession(this.written));
		}
		this.tick = new Tick("AAPL", 187.25, 0.35);
	}

	@TearDown(Level.Trial)
	public void close() {
		this.manager.flush(Duration.ofSeconds(30));
		int left = this.manager.connectionCount();
		this.manager.close();
		if (left != this.connections) {
			throw new IllegalStateException(
					"Only " + left + " of " + this.connections + " connections were left: the figures are void");
		}
	}

	@Benchmark
	public void broadcast() {
		this.manager.broadcast(this.tick);
		if (this.flush) {
			this.manager.flush(Duration.ofSeconds(30));
		}
	}

	/** A price update, serialized to JSON once per broadcast. */
	public record Tick(String symbol, double price, double change) {
	}

}
