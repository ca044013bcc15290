package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One publisher's broadcasts come out in its order, or are skipped after a bounded wait.
 */
class BroadcastReorderTests {

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.timer.shutdownNow();
	}

	private BroadcastReorder reorder(Duration wait, int limit) {
		return new BroadcastReorder(wait, limit, this.timer, (channel, payload) -> this.delivered.add(payload));
	}

	@Test // #13
	void messagesInOrderPassAtOnce() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 100);
		for (long n = 0; n < 5; n++) {
			reorder.accept("p", n, "c", "m" + n);
		}
		assertThat(this.delivered).containsExactly("m0", "m1", "m2", "m3", "m4");
	}

	@Test // #13
	void aMessageAheadOfItsTurnWaitsForTheMissingOne() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 100);
		reorder.accept("p", 0, "c", "m0");
		reorder.accept("p", 2, "c", "m2");
		reorder.accept("p", 3, "c", "m3");
		assertThat(this.delivered).containsExactly("m0");
		reorder.accept("p", 1, "c", "m1");
		assertThat(this.delivered).containsExactly("m0", "m1", "m2", "m3");
		assertThat(reorder.lost()).isZero();
	}

	@Test // #13
	void aMissingMessageIsSkippedAfterTheWaitAndCountedAndDroppedWhenItComesLate() {
		BroadcastReorder reorder = reorder(Duration.ofMillis(100), 100);
		reorder.accept("p", 0, "c", "m0");
		reorder.accept("p", 2, "c", "m2");
		reorder.accept("p", 5, "c", "m5");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.delivered.size() == 3);
		assertThat(this.delivered).containsExactly("m0", "m2", "m5");
		assertThat(reorder.lost()).isEqualTo(3);
		reorder.accept("p", 1, "c", "m1");
		reorder.accept("p", 6, "c", "m6");
		assertThat(this.delivered).containsExactly("m0", "m2", "m5", "m6");
		assertThat(reorder.late()).isEqualTo(1);
	}

	@Test // #13
	void aDuplicateIsDropped() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 100);
		reorder.accept("p", 0, "c", "m0");
		reorder.accept("p", 2, "c", "m2");
		reorder.accept("p", 2, "c", "m2");
		reorder.accept("p", 0, "c", "m0");
		reorder.accept("p", 1, "c", "m1");
		assertThat(this.delivered).containsExactly("m0", "m1", "m2");
		assertThat(reorder.late()).isEqualTo(2);
	}

	@Test // #13
	void tooManyWaitingMessagesSkipTheGapAtOnce() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 3);
		reorder.accept("p", 0, "c", "m0");
		for (long n = 2; n <= 5; n++) {
			reorder.accept("p", n, "c", "m" + n);
		}
		assertThat(this.delivered).containsExactly("m0", "m2", "m3", "m4", "m5");
		assertThat(reorder.lost()).isEqualTo(1);
	}

	@Test // #13
	void publishersAreOrderedIndependently() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 100);
		reorder.accept("a", 0, "c", "a0");
		reorder.accept("b", 0, "c", "b0");
		reorder.accept("a", 2, "c", "a2");
		reorder.accept("b", 1, "c", "b1");
		reorder.accept("a", 1, "c", "a1");
		assertThat(this.delivered).containsExactly("a0", "b0", "b1", "a1", "a2");
	}

	@Test // #13
	void severalGapsThatWaitedLongEnoughAreSkippedTogether() {
		BroadcastReorder reorder = reorder(Duration.ofMillis(200), 100);
		reorder.accept("p", 0, "c", "m0");
		for (long n = 2; n < 40; n += 2) {
			reorder.accept("p", n, "c", "m" + n);
		}
		long start = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.delivered.size() == 20);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(reorder.lost()).isEqualTo(19);
	}

	@Test // #13
	void aPublisherHeardOfInTheMiddleOfItsSequenceIsWaitedForOnce() {
		BroadcastReorder reorder = reorder(Duration.ofMillis(100), 100);
		reorder.accept("p", 21, "c", "m21");
		reorder.accept("p", 20, "c", "m20");
		reorder.accept("p", 23, "c", "m23");
		assertThat(this.delivered).isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.delivered.size() == 3);
		assertThat(this.delivered).containsExactly("m20", "m21", "m23");
		assertThat(reorder.lost()).isEqualTo(1);
		reorder.accept("p", 24, "c", "m24");
		assertThat(this.delivered).containsExactly("m20", "m21", "m23", "m24");
	}

	@Test // #13
	void theLongestWaitForAMissingMessageIsMeasured() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 100);
		reorder.accept("p", 0, "c", "m0");
		reorder.accept("p", 2, "c", "m2");
		long before = System.nanoTime();
		await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - before > 50_000_000L);
		reorder.accept("p", 1, "c", "m1");
		assertThat(reorder.longestWait()).isGreaterThanOrEqualTo(Duration.ofMillis(50))
			.isLessThan(Duration.ofSeconds(5));
	}

	@Test // #13
	void idlePublishersAreForgotten() {
		BroadcastReorder reorder = reorder(Duration.ofHours(1), 100);
		reorder.accept("p", 0, "c", "m0");
		reorder.forgetIdle(Duration.ZERO);
		reorder.accept("p", 0, "c", "m0 again");
		assertThat(this.delivered).containsExactly("m0", "m0 again");
		assertThat(reorder.late()).isZero();
	}

}
