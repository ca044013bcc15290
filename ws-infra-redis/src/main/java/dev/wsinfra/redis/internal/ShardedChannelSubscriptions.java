package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.internal.LogValues;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * Reference-counted sharded subscriptions ({@code SSUBSCRIBE}) on a Redis Cluster, each
 * channel held at the master that owns its slot, with the contract of
 * {@link ChannelSubscriptions}.
 * <p>
 * Lettuce does not move a sharded subscription when its slot changes owner, so this class
 * does: after a topology change, a {@code sunsubscribe} that Redis sends when a slot
 * migrates away, a node connection that drops, and on a periodic safety-net pass, it
 * subscribes every held channel again at the current owner of its slot, asking Lettuce
 * for a fresh topology while a channel has no confirmed owner. A message is delivered
 * only when it arrives from the node where the channel's subscription was confirmed, and
 * a subscription found on any other node (a killed master that came back as a replica and
 * re-sent its old subscriptions) is dropped there, so a message is never delivered twice.
 * When channels that had lost their subscription are confirmed again,
 * {@link Listener#resubscribed(Set)} reports them: what was published meanwhile is lost
 * to plain pub/sub and must be repaired from streams.
 * <p>
 * Threads: messages are delivered on Lettuce's I/O threads; every {@code SSUBSCRIBE} and
 * {@code SUNSUBSCRIBE} is issued by one thread of this class, in the order of the state
 * changes, which also reports gaps. No method blocks.
 */
public final class ShardedChannelSubscriptions implements Subscriptions, AutoCloseable {

	private static final Log logger = LogFactory.getLog(ShardedChannelSubscriptions.class);

	private static final Duration RETRY_DELAY = Duration.ofMillis(250);

	private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);

	private final RedisClusterClient client;

	private final StatefulRedisClusterPubSubConnection<String, String> connection;

	private final Duration timeout;

	private final Listener listener;

	private final ShardedChannels channels = new ShardedChannels();

	private final ShardNodes nodes;

	private final ScheduledExecutorService thread;

	private final Disposable topologyChanges;

	private final AtomicBoolean reconcileQueued = new AtomicBoolean();

	private final AtomicBoolean everythingQueued = new AtomicBoolean();

	private final AtomicBoolean retryQueued = new AtomicBoolean();

	private final AtomicBoolean reportQueued = new AtomicBoolean();

	private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - REFRESH_INTERVAL.toNanos());

	private final AtomicLong rejected = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Creates the subscriptions and starts their thread.
	 * @param client the cluster client the connection belongs to, for its topology
	 * @param connection the cluster pub/sub connection, which stays the caller's
	 * @param timeout how long a subscribe may take before it is given up and retried
	 * @param reconcileInterval how often every channel is checked against the topology
	 * @param listener what receives the messages and the gaps
	 */
	public ShardedChannelSubscriptions(RedisClusterClient client,
			StatefulRedisClusterPubSubConnection<String, String> connection, Duration timeout,
			Duration reconcileInterval, Listener listener) {
		this.client = client;
		this.connection = connection;
		this.timeout = timeout;
		this.listener = listener;
		this.nodes = new ShardNodes(connection, timeout, new NodeEvents());
		this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("ws-redis-sharded"));
		this.topologyChanges = client.getResources()
			.eventBus()
			.get()
			.filter(ClusterTopologyChangedEvent.class::isInstance)
			.subscribe((event) -> reconcileSoon(true));
		long interval = reconcileInterval.toMillis();
		this.thread.scheduleWithFixedDelay(() -> reconcileSoon(true), interval, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public CompletableFuture<Void> acquire(String channel) {
		ShardedChannels.Reference reference = this.channels.acquire(channel);
		if (reference.first()) {
			reconcileSoon(false);
		}
		return reference.confirmed();
	}

	@Override
	public void release(String channel) {
		if (this.channels.release(channel)) {
			reconcileSoon(false);
		}
	}

	@Override
	public CompletableFuture<Void> confirmation(String channel) {
		return this.channels.confirmation(channel);
	}

	@Override
	public Set<String> channels() {
		return this.channels.names();
	}

	/**
	 * Subscribes every held channel again at the current owner of its slot, whether or
	 * not it looks confirmed.
	 * @return a future completed once every channel held now is confirmed again
	 */
	@Override
	public CompletableFuture<Void> resubscribeAll() {
		CompletableFuture<Void> all = this.channels.forceAll();
		reconcileSoon(false);
		return all;
	}

	/**
	 * Returns whether every held channel has a confirmed subscription now, for health.
	 * @return {@code false} while a channel waits for its (re)subscription
	 */
	public boolean allConfirmed() {
		return this.channels.allConfirmed();
	}

	@Override
	public boolean restored() {
		return this.channels.noneLost();
	}

	/**
	 * Returns how many messages were dropped because they arrived from a node where the
	 * channel is not confirmed (a stale subscription, or a gap).
	 * @return the count since creation
	 */
	public long rejectedMessages() {
		return this.rejected.get();
	}

	/** Returns the {@code host:port} of the node where a channel is confirmed. */
	@Nullable String confirmedNode(String channel) {
		return this.channels.confirmedNode(channel);
	}

	/**
	 * Stops the thread and detaches from the node connections, leaving the cluster
	 * connection open for its owner to close.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.topologyChanges.dispose();
		this.thread.shutdownNow();
		this.nodes.detachAll();
	}

	private void reconcileSoon(boolean everything) {
		if (everything) {
			this.everythingQueued.set(true);
		}
		if (!this.closed && this.reconcileQueued.compareAndSet(false, true)) {
			execute(this::reconcile);
		}
	}

	/** Plans again shortly, and asks Lettuce for the topology at most once a second. */
	private void retryLater() {
		if (!this.closed && this.retryQueued.compareAndSet(false, true)) {
			try {
				this.thread.schedule(() -> {
					this.retryQueued.set(false);
					reconcileSoon(false);
				}, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Closed meanwhile.
			}
		}
		long last = this.lastRefresh.get();
		long now = System.nanoTime();
		if (now - last >= REFRESH_INTERVAL.toNanos() && this.lastRefresh.compareAndSet(last, now)) {
			this.client.refreshPartitionsAsync().whenComplete((refreshed, failure) -> reconcileSoon(true));
		}
	}

	/** Issues the commands that bring the channels to the owners of their slots. */
	private void reconcile() {
		this.reconcileQueued.set(false);
		if (this.closed) {
			return;
		}
		ShardedChannels.Plan plan = this.channels.plan(this.everythingQueued.getAndSet(false), this::owner);
		for (ShardedChannels.Unsubscription unsubscription : plan.unsubscribe()) {
			StatefulRedisPubSubConnection<String, String> node = this.nodes.open(unsubscription.node());
			if (node != null) {
				node.async()
					.sunsubscribe(unsubscription.channel())
					.toCompletableFuture()
					.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		for (ShardedChannels.Attempt attempt : plan.subscribe()) {
			StatefulRedisPubSubConnection<String, String> node = this.nodes.open(attempt.node);
			if (node == null) {
				failed(attempt);
				continue;
			}
			node.async()
				.ssubscribe(attempt.names())
				.toCompletableFuture()
				.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.whenComplete((subscribed, failure) -> {
					if (failure == null) {
						confirmed(attempt);
					}
					else {
						failed(attempt);
					}
				});
		}
		if (plan.waiting()) {
			retryLater();
		}
	}

	private @Nullable String owner(int slot) {
		RedisClusterNode master = this.connection.getPartitions().getMasterBySlot(slot);
		return (master != null) ? ShardNodes.key(master) : null;
	}

	private void confirmed(ShardedChannels.Attempt attempt) {
		this.channels.confirmed(attempt).forEach((confirmation) -> confirmation.complete(null));
		if (this.reportQueued.compareAndSet(false, true)) {
			execute(this::reportRecovered);
		}
	}

	/**
	 * Reports the channels confirmed again after a gap since the last report, at once.
	 */
	private void reportRecovered() {
		this.reportQueued.set(false);
		Set<String> recovered = this.channels.takeRecovered();
		if (!recovered.isEmpty()) {
			logger.info(recovered.size() + " sharded subscription(s) re-established after a gap, such as "
					+ LogValues.escape(recovered.iterator().next()));
			this.listener.resubscribed(recovered);
		}
	}

	private void failed(ShardedChannels.Attempt attempt) {
		this.channels.failed(attempt);
		if (logger.isDebugEnabled()) {
			logger.debug("Sharded subscribe at " + attempt.node + " failed; retrying");
		}
		retryLater();
	}

	private void execute(Runnable task) {
		try {
			this.thread.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed meanwhile.
		}
	}

	/** What sharded subscriptions deliver. */
	public interface Listener {

		/**
		 * A message arrived on a held channel, from the node where its subscription is
		 * confirmed; runs on a Lettuce I/O thread and must not block. The payload is the
		 * text as published: a {@link ShardedPublisher}'s frame, for a
		 * {@link ShardedInbound}.
		 * @param channel the channel
		 * @param payload the message
		 */
		void message(String channel, String payload);

		/**
		 * Channels whose subscription had been lost are confirmed again: whatever was
		 * published to them in between did not arrive. Runs on the subscriptions' thread.
		 * @param channels the channels
		 */
		void resubscribed(Set<String> channels);

	}

	private final class NodeEvents implements ShardNodes.Events {

		@Override
		public void message(String node, String channel, String payload) {
			if (ShardedChannelSubscriptions.this.channels.accepts(node, channel)) {
				ShardedChannelSubscriptions.this.listener.message(channel, payload);
			}
			else {
				ShardedChannelSubscriptions.this.rejected.incrementAndGet();
			}
		}

		@Override
		public void subscribed(String node, String channel) {
			String owner = owner(SlotHash.getSlot(channel));
			if (ShardedChannelSubscriptions.this.channels.subscribed(node, channel, owner)) {
				reconcileSoon(false);
			}
		}

		@Override
		public void unsubscribed(String node, String channel) {
			// Unless this class dropped it, Redis did: its slot migrated away.
			if (ShardedChannelSubscriptions.this.channels.unsubscribed(node, channel)) {
				reconcileSoon(false);
				retryLater();
			}
		}

		@Override
		public void disconnected(String node) {
			if (ShardedChannelSubscriptions.this.channels.disconnected(node)) {
				reconcileSoon(false);
			}
		}

		@Override
		public void connected(String node) {
			reconcileSoon(true);
		}

	}

}
