package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * Publishes with sharded pub/sub ({@code SPUBLISH}) on a Redis Cluster, each message as a
 * {@link SequencedFrame} that {@link ShardedInbound} reads, every publish bounded by a
 * timeout. A publish that timed out may still be delivered: Lettuce re-sends what it had
 * queued for a failed master to the promoted one, even when the caller's future timed out
 * or was cancelled; {@link ShardedInbound} drops it if a newer one was delivered.
 * <p>
 * A broadcast (whatever must reach every instance) goes to one of the partition channels
 * in turn, which every instance subscribes to and whose slots spread evenly over the
 * masters, so that broadcasts do not pin one node. A partition whose publishes stall (its
 * master is down) is passed over until they complete. Broadcasts are numbered on their
 * own contiguous sequence, so that receivers can restore their order and tell a loss.
 * <p>
 * Threads: safe for concurrent use; the number of a message and its write to the
 * connection happen under one lock, so that the messages of this publisher reach each
 * node in the order of their numbers. Never blocks on Redis.
 */
public final class ShardedPublisher {

	/**
	 * What goes before a payload that a Lua script publishes with {@code SPUBLISH} in the
	 * same step as the change it announces: a frame without a sequence, which
	 * {@link ShardedInbound} delivers as it comes. Its receivers order such payloads
	 * themselves (stream entries by their position) or apply them idempotently (room
	 * changes), so a late re-send does no harm.
	 */
	public static final String UNORDERED_PREFIX = SequencedFrame.UNORDERED + ":0:";

	private static final Duration STALL = Duration.ofMillis(500);

	private final StatefulRedisClusterConnection<String, String> commands;

	private final Duration timeout;

	private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

	private final List<Partition> partitions;

	private final Object lock = new Object();

	// Guarded by lock.
	private long sequence;

	// Guarded by lock.
	private long broadcastSequence;

	// Guarded by lock.
	private int next;

	/**
	 * @param commands the connection to publish on
	 * @param broadcastChannels the partition channels of broadcasts, the same list on
	 * every instance (see {@link ClusterKeyLayout#broadcastChannels()})
	 * @param timeout how long a publish may take before it fails
	 */
	public ShardedPublisher(StatefulRedisClusterConnection<String, String> commands, List<String> broadcastChannels,
			Duration timeout) {
		if (broadcastChannels.isEmpty()) {
			throw new IllegalArgumentException("At least one broadcast partition is needed");
		}
		this.commands = commands;
		this.partitions = broadcastChannels.stream().map(Partition::new).toList();
		this.timeout = timeout;
	}

	/**
	 * Publishes a message to the subscribers of one channel.
	 * @param channel the channel
	 * @param payload the message
	 * @return a future of how many subscribers received it, failed when the channel's
	 * master did not answer within the timeout
	 */
	public CompletableFuture<Long> publish(String channel, String payload) {
		synchronized (this.lock) {
			return send(channel, new SequencedFrame(this.id, this.sequence++, payload));
		}
	}

	/**
	 * Publishes a message to every instance, on the next partition in turn.
	 * @param payload the message
	 * @return a future of how many subscribers received it, failed when the partition's
	 * master did not answer within the timeout
	 */
	public CompletableFuture<Long> broadcast(String payload) {
		long now = System.nanoTime();
		Partition partition;
		CompletableFuture<Long> published;
		synchronized (this.lock) {
			partition = choose(now);
			partition.begin(now);
			published = send(partition.channel, new SequencedFrame(this.id, this.broadcastSequence++, payload));
		}
		return published.whenComplete((receivers, failure) -> partition.end(System.nanoTime(), failure == null));
	}

	private CompletableFuture<Long> send(String channel, SequencedFrame frame) {
		return this.commands.async()
			.spublish(channel, frame.format())
			.toCompletableFuture()
			.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	// Caller holds lock.
	private Partition choose(long now) {
		int count = this.partitions.size();
		for (int i = 0; i < count; i++) {
			Partition candidate = this.partitions.get((this.next + i) % count);
			if (!candidate.stalled(now)) {
				this.next = (this.next + i + 1) % count;
				return candidate;
			}
		}
		Partition any = this.partitions.get(this.next);
		this.next = (this.next + 1) % count;
		return any;
	}

	/** One partition channel and the health of its publishes. */
	private static final class Partition {

		final String channel;

		private final AtomicInteger outstanding = new AtomicInteger();

		// When the oldest outstanding publish began, or the last one ended.
		private volatile long progress;

		private volatile long blockedUntil;

		Partition(String channel) {
			this.channel = channel;
			this.blockedUntil = System.nanoTime();
		}

		boolean stalled(long now) {
			return now - this.blockedUntil < 0 || (this.outstanding.get() > 0 && now - this.progress > STALL.toNanos());
		}

		void begin(long now) {
			if (this.outstanding.getAndIncrement() == 0) {
				this.progress = now;
			}
		}

		void end(long now, boolean succeeded) {
			this.progress = now;
			if (!succeeded) {
				this.blockedUntil = now + STALL.toNanos();
			}
			this.outstanding.decrementAndGet();
		}

	}

}
