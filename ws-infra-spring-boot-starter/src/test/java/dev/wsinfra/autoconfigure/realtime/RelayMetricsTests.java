package dev.wsinfra.autoconfigure.realtime;

import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.realtime.RealtimeUsage;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AtomicInteger active = new AtomicInteger(3);

	private final RelayMetrics metrics = new RelayMetrics(this.registry, "openai", "i-1", 2, this.active,
			AtomicInteger::get);

	@Test // #17
	void usersBeyondTheBoundShareOneTagSoTheSeriesStayBounded() {
		for (int user = 0; user < 50; user++) {
			this.metrics.usage("user-" + user, "gpt-realtime", new RealtimeUsage(10, 20));
			this.metrics.audio("user-" + user, "gpt-realtime", true, 0.5);
		}
		assertThat(this.registry.find("realtime.tokens").counters()).hasSize(6);
		assertThat(this.registry.find("realtime.audio.seconds").counters()).hasSize(3);
		assertThat(
				this.registry.get("realtime.tokens").tag("user", "user-0").tag("direction", "input").counter().count())
			.isEqualTo(10);
		assertThat(
				this.registry.get("realtime.tokens").tag("user", "other").tag("direction", "output").counter().count())
			.isEqualTo(48 * 20);
		assertThat(this.registry.get("realtime.audio.seconds").tag("user", "other").counter().count()).isEqualTo(24);
		// a user tagged by name stays so
		this.metrics.usage("user-1", "gpt-realtime", new RealtimeUsage(1, 1));
		assertThat(
				this.registry.get("realtime.tokens").tag("user", "user-1").tag("direction", "input").counter().count())
			.isEqualTo(11);
	}

	@Test // #17
	void everyMeterCarriesTheProviderAndTheInstance() {
		this.metrics.closed(RelayClose.PROVIDER_STALLED);
		this.metrics.refused("restricted_field");
		this.metrics.toolCall("get_weather", "success");
		this.metrics.audioDropped(4);
		assertThat(this.registry.get("realtime.sessions.active").gauge().value()).isEqualTo(3);
		assertThat(this.registry.get("realtime.sessions.closed").tag("reason", "provider_stalled").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("realtime.audio.dropped").counter().count()).isEqualTo(4);
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getTag("provider")).isEqualTo("openai");
			assertThat(meter.getId().getTag("instance.id")).isEqualTo("i-1");
		}
	}

}
