package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.redis.testsupport.RedisCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * What one application instance holds on a cluster, wired as the manager will: its own
 * Lettuce client, sharded subscriptions feeding an inbound, and a publisher. It records
 * the numbers published as payloads, as each channel delivered them ({@code broadcast}
 * for every partition), the publishers' sequence numbers as the subscriptions delivered
 * them, before the inbound's order, and the gaps reported.
 * <p>
 * The client is set up as Spring Boot sets up its own with
 * {@code spring.data.redis.timeout=2s} and the recommended topology refresh
 * ({@code spring.data.redis.lettuce.cluster.refresh.period=10s},
 * {@code ...refresh.adaptive=true}), so that no command waits Lettuce's default 60 s.
 * Reconnects back off up to 1 s instead of Lettuce's 30 s, so that a restarted node is
 * reconnected to within the tests' time.
 */
final class ClusterInstance implements AutoCloseable {

	/** Lettuce's command timeout, and the subscriptions' and publisher's. */
	static final Duration TIMEOUT = Duration.ofSeconds(2);

	final RedisClusterClient client;

	final StatefulRedisClusterPubSubConnection<String, String> pubSub;

	final StatefulRedisClusterConnection<String, String> commands;

	final ShardedInbound inbound;

	final ShardedChannelSubscriptions subscriptions;

	final ShardedPublisher publisher;

	final List<Set<String>> gaps = new CopyOnWriteArrayList<>();

	private final Map<String, List<Long>> received = new ConcurrentHashMap<>();

	private final Map<String, List<Long>> sequences = new ConcurrentHashMap<>();

	/**
	 * @param partitions the broadcast partition channels
	 * @param reorderWait how long a broadcast ahead of its turn waits
	 */
	ClusterInstance(RedisCluster redis, List<String> partitions, Duration reorderWait) {
		this.client = client(redis);
		this.pubSub = this.client.connectPubSub();
		this.commands = this.client.connect();
		this.inbound = new ShardedInbound(partitions, reorderWait, (channel, payload) -> record(this.received,
				partitions.contains(channel) ? "broadcast" : channel, Long.parseLong(payload)));
		this.subscriptions = new ShardedChannelSubscriptions(this.client, this.pubSub, TIMEOUT, Duration.ofSeconds(5),
				new ShardedChannelSubscriptions.Listener() {

					@Override
					public void message(String channel, String payload) {
						SequencedFrame frame = SequencedFrame.parse(payload);
						if (frame != null) {
							record(ClusterInstance.this.sequences, channel, frame.sequence());
						}
						ClusterInstance.this.inbound.received(channel, payload);
					}

					@Override
					public void resubscribed(Set<String> channels) {
						ClusterInstance.this.gaps.add(channels);
					}

				});
		this.publisher = new ShardedPublisher(this.commands, partitions, TIMEOUT);
	}

	/** The numbers delivered on a channel, or on any partition for {@code broadcast}. */
	List<Long> received(String channel) {
		return this.received.getOrDefault(channel, List.of());
	}

	/** The sequence numbers the subscriptions delivered on a channel. */
	List<Long> sequences(String channel) {
		return this.sequences.getOrDefault(channel, List.of());
	}

	@Override
	public void close() {
		this.subscriptions.close();
		this.inbound.close();
		this.pubSub.close();
		this.commands.close();
		ClientResources resources = this.client.getResources();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

	private static void record(Map<String, List<Long>> numbers, String channel, long number) {
		numbers.computeIfAbsent(channel, (key) -> new CopyOnWriteArrayList<>()).add(number);
	}

	private static RedisClusterClient client(RedisCluster redis) {
		List<RedisURI> seeds = redis.ports()
			.stream()
			.map((port) -> RedisURI.Builder.redis("127.0.0.1", port).withTimeout(TIMEOUT).build())
			.toList();
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(
					() -> Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
		RedisClusterClient client = RedisClusterClient.create(resources, seeds);
		client.setOptions(ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enablePeriodicRefresh(Duration.ofSeconds(10))
				.enableAllAdaptiveRefreshTriggers()
				.build())
			.timeoutOptions(TimeoutOptions.enabled())
			.build());
		return client;
	}

}
