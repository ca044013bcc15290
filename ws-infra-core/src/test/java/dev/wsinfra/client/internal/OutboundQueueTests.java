package dev.wsinfra.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundQueueTests {

	private final List<Object> written = new CopyOnWriteArrayList<>();

	private final List<Consumer<@Nullable Throwable>> pending = new ArrayList<>();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	@Test
	void writesOneAtATimeInOrderAndRefusesPastTheLimit() {
		OutboundQueue queue = new OutboundQueue(3, this::holdWrite, this.failures::add);
		assertThat(queue.offer("a")).isTrue();
		assertThat(queue.offer("b")).isTrue();
		assertThat(queue.offer("c")).isTrue();
		assertThat(queue.offer("d")).isFalse();
		assertThat(queue.size()).isEqualTo(3);
		assertThat(this.written).containsExactly("a");
		complete(null);
		assertThat(this.written).containsExactly("a", "b");
		assertThat(queue.size()).isEqualTo(2);
		assertThat(queue.offer("d")).isTrue();
		complete(null);
		complete(null);
		complete(null);
		assertThat(this.written).containsExactly("a", "b", "c", "d");
		assertThat(queue.size()).isZero();
	}

	@Test
	void writesThatCompleteAtOnceDoNotRecurse() {
		OutboundQueue queue = new OutboundQueue(200_000, (message, done) -> {
			this.written.add(message);
			done.accept(null);
		}, this.failures::add);
		for (int i = 0; i < 100_000; i++) {
			queue.offer(i);
		}
		assertThat(this.written).hasSize(100_000);
		assertThat(queue.size()).isZero();
	}

	@Test
	void aFailedWriteDiscardsTheRestAndReportsOnce() {
		OutboundQueue queue = new OutboundQueue(10, this::holdWrite, this.failures::add);
		queue.offer("a");
		queue.offer("b");
		IOException failure = new IOException("broken pipe");
		complete(failure);
		assertThat(this.failures).containsExactly(failure);
		assertThat(this.written).containsExactly("a");
		assertThat(queue.size()).isZero();
		assertThat(queue.offer("c")).isTrue();
		assertThat(this.written).containsExactly("a");
	}

	@Test
	void awaitDrainedWaitsForTheLastWriteOrTheDeadline() throws Exception {
		OutboundQueue queue = new OutboundQueue(10, this::holdWrite, this.failures::add);
		queue.offer("a");
		assertThat(queue.awaitDrained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
		complete(null);
		assertThat(queue.awaitDrained(System.nanoTime())).isTrue();
	}

	private synchronized void holdWrite(Object message, Consumer<@Nullable Throwable> done) {
		this.written.add(message);
		this.pending.add(done);
	}

	private void complete(@Nullable Throwable failure) {
		Consumer<@Nullable Throwable> done;
		synchronized (this) {
			done = this.pending.remove(0);
		}
		done.accept(failure);
	}

}
