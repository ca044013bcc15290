package dev.wsinfra.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.ShardedChannelSubscriptions;
import dev.wsinfra.redis.internal.ShardedInbound;
import dev.wsinfra.redis.internal.ShardedPublisher;
import dev.wsinfra.redis.internal.Subscriptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;

/**
 * Sharded pub/sub on a Redis Cluster: room and user channels are subscribed with
 * {@code SSUBSCRIBE} at the master owning their slot and published with {@code SPUBLISH};
 * broadcasts go over partition channels spread evenly over the masters. Messages are
 * numbered per publisher and delivered in that order, late re-sends dropped.
 */
final class ShardedPubSub implements PubSub {

	private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(5);

	private final StatefulRedisClusterPubSubConnection<String, String> connection;

	private final KeyLayout keys;

	private final List<String> partitions;

	private final ShardedPublisher publisher;

	private final ShardedChannelSubscriptions subscriptions;

	// Set by listen, before anything is subscribed.
	private volatile BiConsumer<String, String> deliver = (channel, payload) -> {
	};

	private volatile Runnable gap = () -> {
	};

	private final ShardedInbound inbound;

	ShardedPubSub(RedisClusterClient client, StatefulRedisClusterConnection<String, String> commands,
			StatefulRedisClusterPubSubConnection<String, String> connection, KeyLayout keys, Duration timeout) {
		this.connection = connection;
		this.keys = keys;
		this.partitions = keys.broadcastChannels();
		this.publisher = new ShardedPublisher(commands, this.partitions, timeout);
		this.inbound = new ShardedInbound(this.partitions, ShardedInbound.DEFAULT_REORDER_WAIT,
				(channel, payload) -> this.deliver.accept(channel, payload));
		this.subscriptions = new ShardedChannelSubscriptions(client, connection, timeout, RECONCILE_INTERVAL,
				new ShardedChannelSubscriptions.Listener() {

					@Override
					public void message(String channel, String payload) {
						ShardedPubSub.this.inbound.received(channel, payload);
					}

					@Override
					public void resubscribed(Set<String> channels) {
						try {
							ShardedPubSub.this.gap.run();
						}
						catch (RejectedExecutionException ex) {
							// Closed meanwhile.
						}
					}

				});
	}

	@Override
	public Subscriptions subscriptions() {
		return this.subscriptions;
	}

	@Override
	public List<String> broadcastChannels() {
		return this.partitions;
	}

	/**
	 * {@inheritDoc} A broadcast stream's entries go to the partition in the stream's
	 * slot: they carry no sequence, and the manager orders them by their position in the
	 * stream.
	 */
	@Override
	public ScriptPublish scriptPublish() {
		return ScriptPublish.SHARDED;
	}

	@Override
	public CompletableFuture<Long> publish(String channel, String payload) {
		return channel.equals(this.keys.broadcastChannel()) ? this.publisher.broadcast(payload)
				: this.publisher.publish(channel, payload);
	}

	@Override
	public void listen(BiConsumer<String, String> deliver, RedisBackend.Listener listener, Runnable gap) {
		String broadcast = this.keys.broadcastChannel();
		Set<String> partitions = Set.copyOf(this.partitions);
		this.deliver = (channel, payload) -> deliver.accept(partitions.contains(channel) ? broadcast : channel,
				payload);
		this.gap = gap;
	}

	@Override
	public void close() {
		this.subscriptions.close();
		this.inbound.close();
		this.connection.close();
	}

}
