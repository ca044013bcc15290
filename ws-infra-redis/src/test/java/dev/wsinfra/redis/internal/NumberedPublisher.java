package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Publishes the numbers 0, 1, 2... at a fixed rate, each number to every target, without
 * waiting for the replies; records the failures and the slowest failure's duration.
 */
final class NumberedPublisher implements AutoCloseable {

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();

	private final AtomicLong next = new AtomicLong();

	private final AtomicLong outstanding = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong slowestFailure = new AtomicLong();

	private NumberedPublisher(Duration period, List<Function<String, CompletableFuture<Long>>> targets) {
		this.thread.scheduleAtFixedRate(() -> {
			String number = Long.toString(this.next.get());
			for (Function<String, CompletableFuture<Long>> target : targets) {
				long start = System.nanoTime();
				this.outstanding.incrementAndGet();
				target.apply(number).whenComplete((receivers, failure) -> {
					if (failure != null) {
						this.failed.incrementAndGet();
						this.slowestFailure.accumulateAndGet(System.nanoTime() - start, Math::max);
					}
					this.outstanding.decrementAndGet();
				});
			}
			this.next.incrementAndGet();
		}, 0, period.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Publishes every 20 ms to each channel. */
	static NumberedPublisher toChannels(ShardedPublisher publisher, String... channels) {
		return new NumberedPublisher(Duration.ofMillis(20),
				Arrays.stream(channels)
					.<Function<String, CompletableFuture<Long>>>map(
							(channel) -> (payload) -> publisher.publish(channel, payload))
					.toList());
	}

	/** Broadcasts every 2 ms. */
	static NumberedPublisher broadcasts(ShardedPublisher publisher) {
		return new NumberedPublisher(Duration.ofMillis(2), List.of(publisher::broadcast));
	}

	/** The next number to publish: every smaller one was published. */
	long next() {
		return this.next.get();
	}

	/** How many publishes have no reply yet. */
	long outstanding() {
		return this.outstanding.get();
	}

	long failed() {
		return this.failed.get();
	}

	/** How long the slowest failed publish took, in nanoseconds; 0 when none failed. */
	long slowestFailure() {
		return this.slowestFailure.get();
	}

	void stop() {
		this.thread.shutdown();
		try {
			this.thread.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

}
