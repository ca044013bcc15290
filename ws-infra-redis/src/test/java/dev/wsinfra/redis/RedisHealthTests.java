package dev.wsinfra.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures make Redis count as unavailable.
 */
class RedisHealthTests {

	private final RedisHealth health = new RedisHealth("health-1");

	@Test // #13
	void aCommandSentBeforeRedisCameBackDoesNotMakeItUnavailableAgainWhenItFailsLate() {
		assertThat(this.health.available()).isTrue();
		this.health.unavailable(new IllegalStateException("master killed"));
		long sentDuringTheOutage = System.nanoTime();
		awaitClockPast(sentDuringTheOutage);
		assertThat(this.health.available()).isTrue();

		this.health.failed(new IllegalStateException("timed out at the dead master"), sentDuringTheOutage);
		assertThat(this.health.isAvailable()).isTrue();

		this.health.failed(new IllegalStateException("timed out again"), System.nanoTime());
		assertThat(this.health.isAvailable()).isFalse();
		assertThat(this.health.unavailableSince()).isNotNull();
	}

	// Bounded: the clock moves on within microseconds.
	private static void awaitClockPast(long nanos) {
		while (System.nanoTime() == nanos) {
			Thread.onSpinWait();
		}
	}

}
