package dev.wsinfra.redis.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

/**
 * The per-node pub/sub connections that sharded subscriptions use, each known by its
 * {@code host:port} and watched by a listener that names the node: a message or a
 * subscription change is attributed to the connection it arrived on, whatever the
 * topology view says at that moment.
 */
final class ShardNodes {

	private final StatefulRedisClusterPubSubConnection<String, String> cluster;

	private final Duration timeout;

	private final Events events;

	private final Map<String, Link> links = new ConcurrentHashMap<>();

	ShardNodes(StatefulRedisClusterPubSubConnection<String, String> cluster, Duration timeout, Events events) {
		this.cluster = cluster;
		this.timeout = timeout;
		this.events = events;
	}

	/** The key of a node: its {@code host:port}, as Lettuce keys slot connections. */
	static String key(RedisClusterNode node) {
		return node.getUri().getHost() + ":" + node.getUri().getPort();
	}

	/**
	 * Returns the open connection to a node, connecting and attaching the listeners first
	 * when needed; blocks at most the timeout.
	 * @param key the node's {@code host:port}
	 * @return the connection, or {@code null} when it is not open
	 */
	@Nullable StatefulRedisPubSubConnection<String, String> open(String key) {
		int colon = key.lastIndexOf(':');
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting;
		try {
			connecting = this.cluster.getConnectionAsync(key.substring(0, colon),
					Integer.parseInt(key.substring(colon + 1)));
		}
		catch (RuntimeException ex) {
			return null;
		}
		StatefulRedisPubSubConnection<String, String> connection;
		try {
			connection = connecting.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException | TimeoutException ex) {
			return null;
		}
		Link link = this.links.get(key);
		if (link == null || link.connection != connection) {
			if (link != null) {
				link.detach();
			}
			link = new Link(key, connection);
			this.links.put(key, link);
			link.attach();
		}
		return connection.isOpen() ? connection : null;
	}

	/** Removes the listeners from every connection. */
	void detachAll() {
		List<Link> all = new ArrayList<>(this.links.values());
		this.links.clear();
		all.forEach(Link::detach);
	}

	/** What the node connections report, each with the key of its node. */
	interface Events {

		void message(String node, String channel, String payload);

		void subscribed(String node, String channel);

		void unsubscribed(String node, String channel);

		void disconnected(String node);

		void connected(String node);

	}

	private final class Link extends RedisPubSubAdapter<String, String> implements RedisConnectionStateListener {

		private final String key;

		private final StatefulRedisPubSubConnection<String, String> connection;

		Link(String key, StatefulRedisPubSubConnection<String, String> connection) {
			this.key = key;
			this.connection = connection;
		}

		void attach() {
			this.connection.addListener((RedisPubSubAdapter<String, String>) this);
			this.connection.addListener((RedisConnectionStateListener) this);
		}

		void detach() {
			this.connection.removeListener((RedisPubSubAdapter<String, String>) this);
			this.connection.removeListener((RedisConnectionStateListener) this);
		}

		@Override
		public void smessage(String channel, String message) {
			ShardNodes.this.events.message(this.key, channel, message);
		}

		@Override
		public void ssubscribed(String channel, long count) {
			ShardNodes.this.events.subscribed(this.key, channel);
		}

		@Override
		public void sunsubscribed(String channel, long count) {
			ShardNodes.this.events.unsubscribed(this.key, channel);
		}

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
			ShardNodes.this.events.connected(this.key);
		}

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			ShardNodes.this.events.disconnected(this.key);
		}

	}

}
