package dev.wsinfra.client.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	@Test
	void doublesFromTheBaseUntilTheCap() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 0, () -> 0.5);
		assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(32));
		assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(60));
		assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void jitterVariesEachWaitByUpToItsFractionEitherWay() {
		assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60), 0.1, () -> 0.0).delay(0))
			.isEqualTo(Duration.ofSeconds(9));
		assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60), 0.1, () -> 0.5).delay(0))
			.isEqualTo(Duration.ofSeconds(10));
		assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60), 0.1, () -> 1.0).delay(0))
			.isEqualTo(Duration.ofSeconds(11));
		assertThat(new Backoff(Duration.ofSeconds(40), Duration.ofSeconds(60), 0.5, () -> 1.0).delay(3))
			.isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void randomJitterStaysWithinItsBounds() {
		Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.2);
		for (int i = 0; i < 1000; i++) {
			assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(320), Duration.ofMillis(480));
		}
	}

	@Test
	void hugeDurationsDoNotOverflow() {
		Backoff backoff = new Backoff(Duration.ofDays(365 * 100), Duration.ofDays(365 * 1000), 0, () -> 0.5);
		assertThat(backoff.delay(62)).isPositive();
	}

}
