package dev.wsinfra.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the wait before attempt {@code n + 1}, counting
 * failures from 0, is {@code min(max, base · 2^n)}, then varied uniformly by up to
 * {@code ±jitter} of itself, so it can exceed {@code max} by that fraction.
 */
public final class Backoff {

	private final long baseNanos;

	private final long maxNanos;

	private final double jitter;

	private final DoubleSupplier random;

	/**
	 * Creates a backoff that draws its jitter from {@link ThreadLocalRandom}.
	 * @param base the first wait
	 * @param max the cap of the exponential part
	 * @param jitter the fraction, between 0 and 1, by which each wait varies
	 */
	public Backoff(Duration base, Duration max, double jitter) {
		this(base, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
	}

	Backoff(Duration base, Duration max, double jitter, DoubleSupplier random) {
		this.baseNanos = saturatedNanos(base);
		this.maxNanos = saturatedNanos(max);
		this.jitter = jitter;
		this.random = random;
	}

	/**
	 * Returns the wait after {@code failures} failed attempts in a row.
	 * @param failures 0 for the wait before the first retry
	 * @return the wait, never negative
	 */
	public Duration delay(int failures) {
		long nanos = (failures >= Long.SIZE - 1 || this.baseNanos > (this.maxNanos >>> failures)) ? this.maxNanos
				: this.baseNanos << failures;
		double factor = 1 + this.jitter * (2 * this.random.getAsDouble() - 1);
		return Duration.ofNanos(Math.max(0, Math.round(nanos * factor)));
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

}
