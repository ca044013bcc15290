package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Puts the broadcasts of each publisher back in the order it numbered them, when they
 * arrive over several partitions (several shards, several connections). A message that
 * arrives ahead of its turn waits for the missing ones at most a bounded time, and at
 * most a bounded number of messages wait per publisher; then the missing ones are skipped
 * and counted as lost. A message that arrives after its turn was skipped, or twice, is
 * dropped and counted as late: a publisher's messages are delivered in order, or not at
 * all. A publisher first heard of in the middle of its sequence (this instance subscribed
 * after it started) is waited for once, so that its messages already under way are kept.
 * <p>
 * Threads: {@link #accept} may be called from several threads at once; each publisher's
 * messages are delivered under that publisher's lock, by the caller of {@link #accept} or
 * by the timer, so the consumer must not block.
 */
final class BroadcastReorder {

	private static final long UNKNOWN = Long.MIN_VALUE;

	private final long waitNanos;

	private final int limit;

	private final ScheduledExecutorService timer;

	private final BiConsumer<String, String> consumer;

	private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();

	private final AtomicLong lost = new AtomicLong();

	private final AtomicLong late = new AtomicLong();

	private final AtomicLong longestWait = new AtomicLong();

	/**
	 * @param wait how long a message ahead of its turn waits for the missing ones
	 * @param limit how many messages may wait per publisher
	 * @param timer runs the bounded waits
	 * @param consumer receives the channel each message arrived on and its payload, per
	 * publisher in order
	 */
	BroadcastReorder(Duration wait, int limit, ScheduledExecutorService timer, BiConsumer<String, String> consumer) {
		this.waitNanos = wait.toNanos();
		this.limit = limit;
		this.timer = timer;
		this.consumer = consumer;
	}

	/**
	 * Takes one numbered message of a publisher.
	 * @param publisher the publisher's id, new for each run of a publisher
	 * @param sequence the message's number, counted from any start by one
	 * @param channel the channel it arrived on
	 * @param payload the message
	 */
	void accept(String publisher, long sequence, String channel, String payload) {
		Publisher state = this.publishers.computeIfAbsent(publisher, (id) -> new Publisher());
		long now = System.nanoTime();
		synchronized (state) {
			state.lastSeen = now;
			if (state.expected == UNKNOWN && sequence == 0) {
				state.expected = 0;
			}
			if ((state.expected != UNKNOWN && sequence < state.expected) || state.held.containsKey(sequence)) {
				this.late.incrementAndGet();
				return;
			}
			if (sequence == state.expected) {
				deliver(state, channel, payload);
				drain(state, now);
				return;
			}
			state.held.put(sequence, new Held(channel, payload, now));
			if (state.held.size() > this.limit) {
				skip(state);
			}
			else if (!state.timed) {
				schedule(state, this.waitNanos);
			}
		}
	}

	/** Returns how many messages were skipped after waiting for them. */
	long lost() {
		return this.lost.get();
	}

	/** Returns how many messages arrived after their turn, or twice, and were dropped. */
	long late() {
		return this.late.get();
	}

	/**
	 * Returns the longest time a message that arrived ahead of its turn waited until the
	 * missing ones came (those skipped excluded): the skew between partitions.
	 */
	Duration longestWait() {
		return Duration.ofNanos(this.longestWait.get());
	}

	/**
	 * Forgets publishers that sent nothing for a while and have nothing waiting.
	 * @param idle how long a publisher must have been silent
	 */
	void forgetIdle(Duration idle) {
		long now = System.nanoTime();
		this.publishers.entrySet().removeIf((entry) -> {
			Publisher state = entry.getValue();
			synchronized (state) {
				return state.held.isEmpty() && now - state.lastSeen > idle.toNanos();
			}
		});
	}

	// Caller holds the publisher's lock.
	private void deliver(Publisher state, String channel, String payload) {
		state.expected++;
		this.consumer.accept(channel, payload);
	}

	// Caller holds the publisher's lock. With a time (not 0), records how long the
	// messages delivered waited for their turn.
	private void drain(Publisher state, long now) {
		while (!state.held.isEmpty() && state.held.firstKey() == state.expected) {
			Held held = state.held.pollFirstEntry().getValue();
			if (now != 0) {
				this.longestWait.accumulateAndGet(now - held.arrived, Math::max);
			}
			deliver(state, held.channel, held.payload);
		}
	}

	// Caller holds the publisher's lock. Gives up on the messages missing before the
	// first held one; for a publisher first heard of in the middle of its sequence,
	// starts with the first held one.
	private void skip(Publisher state) {
		long first = state.held.firstKey();
		if (state.expected != UNKNOWN) {
			this.lost.addAndGet(first - state.expected);
		}
		state.expected = first;
		drain(state, 0);
	}

	// Caller holds the publisher's lock.
	private void schedule(Publisher state, long delayNanos) {
		try {
			this.timer.schedule(() -> expire(state), delayNanos, TimeUnit.NANOSECONDS);
			state.timed = true;
		}
		catch (RejectedExecutionException ex) {
			// Stopped: nothing waits any more.
		}
	}

	private void expire(Publisher state) {
		synchronized (state) {
			state.timed = false;
			while (!state.held.isEmpty()) {
				long waited = System.nanoTime() - state.held.firstEntry().getValue().arrived;
				if (waited < this.waitNanos) {
					schedule(state, this.waitNanos - waited);
					return;
				}
				skip(state);
			}
		}
	}

	/** What is known of one publisher; guarded by its own lock. */
	private static final class Publisher {

		// The next number to deliver; UNKNOWN until message 0 or the first wait's end.
		long expected = UNKNOWN;

		final TreeMap<Long, Held> held = new TreeMap<>();

		long lastSeen;

		boolean timed;

	}

	private record Held(String channel, String payload, long arrived) {
	}

}
