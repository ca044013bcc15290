package dev.wsinfra.server;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.json.JsonMapper;

/**
 * What encoding a message once per broadcast saves against encoding it per recipient, as a
 * naive loop over {@code session.sendMessage(json.writeValueAsString(message))} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodingBenchmark {

	@Param({ "1000" })
	public int recipients;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Update update = new Update("dashboard_update", new Stats(1523, 87, 12, 0.25));

	@Benchmark
	public void encodeOncePerBroadcast(Blackhole blackhole) {
		OutboundMessage message = OutboundMessage.of(this.update, this.jsonMapper);
		for (int i = 0; i < this.recipients; i++) {
			blackhole.consume(message);
		}
	}

	@Benchmark
	public void encodePerRecipient(Blackhole blackhole) {
		for (int i = 0; i < this.recipients; i++) {
			blackhole.consume(OutboundMessage.of(this.update, this.jsonMapper));
		}
	}

	/** The seed's dashboard update. */
	public record Update(String type, Stats data) {
	}

	/** Dashboard figures. */
	public record Stats(int connections, int users, int rooms, double load) {
	}

}
