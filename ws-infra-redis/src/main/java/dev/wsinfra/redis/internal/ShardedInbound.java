package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import dev.wsinfra.internal.DaemonThreads;

/**
 * Reads what arrives on sharded channels ({@link SequencedFrame frames} of
 * {@link ShardedPublisher}) and keeps each publisher's order:
 * <ul>
 * <li>on a channel, a message older than one already delivered from the same publisher is
 * dropped: Lettuce re-sends the publishes it had buffered for a failed master to the
 * promoted one, after newer ones, up to its command timeout later;</li>
 * <li>broadcasts, spread over partitions, are put back in their publisher's order by a
 * {@link BroadcastReorder}, which waits a bounded time for a missing one.</li>
 * </ul>
 * Frames without a sequence (what Lua scripts publish, see
 * {@link ShardedPublisher#UNORDERED_PREFIX}) are delivered as they come. A malformed
 * frame is counted and dropped.
 * <p>
 * Threads: {@link #received} may be called from several threads; the consumer is called
 * by them or by this class's timer, and must not block.
 */
public final class ShardedInbound implements AutoCloseable {

	/** How long a broadcast ahead of its turn waits for the missing ones by default. */
	public static final Duration DEFAULT_REORDER_WAIT = Duration.ofSeconds(1);

	private static final int REORDER_LIMIT = 10_000;

	private static final Duration IDLE = Duration.ofMinutes(10);

	private final Set<String> partitions;

	private final BiConsumer<String, String> consumer;

	private final ScheduledExecutorService timer;

	private final BroadcastReorder reorder;

	private final Map<String, ChannelOrder> orders = new ConcurrentHashMap<>();

	private final AtomicLong stale = new AtomicLong();

	private final AtomicLong malformed = new AtomicLong();

	/**
	 * @param broadcastChannels the partition channels of broadcasts
	 * @param reorderWait how long a broadcast ahead of its turn may wait
	 * @param consumer receives the channel and the payload of each message in order
	 */
	public ShardedInbound(Collection<String> broadcastChannels, Duration reorderWait,
			BiConsumer<String, String> consumer) {
		this.partitions = Set.copyOf(broadcastChannels);
		this.consumer = consumer;
		this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("ws-redis-inbound-order"));
		this.reorder = new BroadcastReorder(reorderWait, REORDER_LIMIT, this.timer, consumer);
		long sweep = IDLE.toMillis();
		this.timer.scheduleWithFixedDelay(this::forgetIdle, sweep, sweep, TimeUnit.MILLISECONDS);
	}

	/**
	 * Takes a message as it arrived on a channel.
	 * @param channel the channel
	 * @param text the frame
	 */
	public void received(String channel, String text) {
		SequencedFrame frame = SequencedFrame.parse(text);
		if (frame == null) {
			this.malformed.incrementAndGet();
			return;
		}
		if (frame.unordered()) {
			this.consumer.accept(channel, frame.payload());
			return;
		}
		if (this.partitions.contains(channel)) {
			this.reorder.accept(frame.publisher(), frame.sequence(), channel, frame.payload());
			return;
		}
		ChannelOrder order = this.orders.computeIfAbsent(channel, (key) -> new ChannelOrder());
		synchronized (order) {
			Mark last = order.marks.get(frame.publisher());
			if (last != null && frame.sequence() <= last.sequence) {
				this.stale.incrementAndGet();
				return;
			}
			order.marks.put(frame.publisher(), new Mark(frame.sequence(), System.nanoTime()));
			this.consumer.accept(channel, frame.payload());
		}
	}

	/** Returns how many broadcasts were skipped after waiting for them. */
	public long skippedBroadcasts() {
		return this.reorder.lost();
	}

	/**
	 * Returns how many messages were dropped for arriving after a newer one of their
	 * publisher: re-sent late, duplicated, or broadcasts whose turn was skipped.
	 */
	public long droppedOutOfOrder() {
		return this.stale.get() + this.reorder.late();
	}

	/**
	 * Returns the longest time a broadcast that arrived ahead of its turn waited for the
	 * missing ones, those skipped excluded: the skew between partitions.
	 */
	public Duration longestBroadcastWait() {
		return this.reorder.longestWait();
	}

	/** Returns how many frames could not be read. */
	public long malformed() {
		return this.malformed.get();
	}

	/** Stops the timer; broadcasts waiting for their turn are not delivered. */
	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	private void forgetIdle() {
		long now = System.nanoTime();
		this.reorder.forgetIdle(IDLE);
		this.orders.entrySet().removeIf((entry) -> {
			ChannelOrder order = entry.getValue();
			synchronized (order) {
				order.marks.values().removeIf((mark) -> now - mark.seen > IDLE.toNanos());
				return order.marks.isEmpty();
			}
		});
	}

	/**
	 * The last message delivered from each publisher on one channel; guarded by itself.
	 */
	private static final class ChannelOrder {

		final Map<String, Mark> marks = new HashMap<>();

	}

	private record Mark(long sequence, long seen) {
	}

}
