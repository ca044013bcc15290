package dev.wsinfra.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.redis.internal.ClusterKeyLayout;
import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.redis.internal.Subscriptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Redis side of a running {@link RedisConnectionManager}: its two Redis connections,
 * the stores on them and its threads. Opened by {@code start}, closed by {@code stop}. On
 * a standalone or Sentinel Redis, channels use plain pub/sub; on a Redis Cluster, the
 * commands are routed by slot and channels use sharded pub/sub ({@link PubSub}).
 * <p>
 * Threads: one scheduler (heartbeat, resync, repair, reaping, grace-period leaves), one
 * thread that delivers what arrives on the pub/sub connection in arrival order, off
 * Lettuce's event loop, with at most
 * {@link RedisConnectionManagerOptions#inboundQueueLimit()} messages waiting for it (more
 * are dropped, and repaired), one that runs presence listeners in order, and one for
 * recoveries that waited for a room join.
 */
final class RedisBackend {

	private static final Log logger = LogFactory.getLog(RedisBackend.class);

	final KeyLayout keys;

	final RedisGateway gateway;

	final Subscriptions subscriptions;

	final PresenceStore presence;

	final StreamStore streams;

	private final ServerRun serverRun = new ServerRun();

	final ScheduledExecutorService scheduler;

	final ExecutorService events;

	final ExecutorService recoveries;

	private final ThreadPoolExecutor inbound;

	private final StatefulConnection<String, String> commandConnection;

	private final PubSub pubSub;

	// Set by listen, before anything arrives.
	private volatile Listener listener = Listener.NONE;

	private RedisBackend(StatefulConnection<String, String> commandConnection, RedisGateway gateway, PubSub pubSub,
			KeyLayout keys, JsonMapper jsonMapper, RedisConnectionManagerOptions options) {
		this.keys = keys;
		this.commandConnection = commandConnection;
		this.gateway = gateway;
		this.pubSub = pubSub;
		this.subscriptions = pubSub.subscriptions();
		this.presence = new PresenceStore(this.gateway, keys, jsonMapper, options, this.serverRun,
				pubSub.scriptPublish());
		this.streams = new StreamStore(this.gateway, keys, options, this.serverRun, pubSub.scriptPublish());
		String name = "ws-redis-" + options.instanceId();
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory(name + "-heartbeat"));
		this.events = Executors.newSingleThreadExecutor(DaemonThreads.factory(name + "-events"));
		this.recoveries = Executors.newSingleThreadExecutor(DaemonThreads.factory(name + "-recovery"));
		int limit = options.inboundQueueLimit();
		this.inbound = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(limit),
				DaemonThreads.factory(name + "-inbound"), (task, executor) -> {
					if (!executor.isShutdown()) {
						this.listener.dropped(limit);
					}
				});
	}

	/**
	 * Opens the connections of a manager: a command connection and a pub/sub connection
	 * of a standalone or Sentinel client, or of a Redis Cluster client, with the key
	 * layout of its topology.
	 * @throws IllegalStateException for any other client
	 */
	static RedisBackend open(AbstractRedisClient client, JsonMapper jsonMapper, RedisConnectionManagerOptions options) {
		String prefix = options.keyPrefix();
		if (client instanceof RedisClusterClient clusterClient) {
			if (prefix.indexOf('{') >= 0) {
				logger.warn("The key prefix '" + prefix + "' has a hash tag, which puts every key and channel of"
						+ " ws-infra in one slot of the Redis Cluster, on one node; without it they spread over"
						+ " the cluster");
			}
			KeyLayout keys = new ClusterKeyLayout(prefix, ClusterKeyLayout.DEFAULT_PARTITIONS);
			StatefulRedisClusterConnection<String, String> commands = clusterClient.connect(StringCodec.UTF8);
			try {
				RedisGateway gateway = new RedisGateway(commands, options.commandTimeout());
				PubSub pubSub = new ShardedPubSub(clusterClient, commands,
						clusterClient.connectPubSub(StringCodec.UTF8), keys, options.commandTimeout());
				return new RedisBackend(commands, gateway, pubSub, keys, jsonMapper, options);
			}
			catch (RuntimeException ex) {
				commands.close();
				throw ex;
			}
		}
		if (!(client instanceof RedisClient redisClient)) {
			throw new IllegalStateException("RedisConnectionManager needs a standalone, Sentinel or Redis Cluster"
					+ " client, not " + client.getClass().getName());
		}
		StatefulRedisConnection<String, String> commands = redisClient.connect(StringCodec.UTF8);
		try {
			RedisGateway gateway = new RedisGateway(commands, options.commandTimeout());
			KeyLayout keys = new RedisKeys(prefix);
			PubSub pubSub = new PlainPubSub(redisClient.connectPubSub(StringCodec.UTF8), gateway, keys);
			return new RedisBackend(commands, gateway, pubSub, keys, jsonMapper, options);
		}
		catch (RuntimeException ex) {
			commands.close();
			throw ex;
		}
	}

	/** Subscribes to the broadcast channels; every instance holds them for its run. */
	CompletableFuture<Void> subscribeBroadcasts() {
		List<String> channels = this.pubSub.broadcastChannels();
		return CompletableFuture
			.allOf(channels.stream().map(this.subscriptions::acquire).toArray(CompletableFuture[]::new));
	}

	/**
	 * Returns whether channels use sharded pub/sub, where messages on different channels
	 * travel through different nodes and so keep no order between them.
	 */
	boolean sharded() {
		return this.pubSub.scriptPublish().sharded();
	}

	/**
	 * Publishes without waiting: plainly on a standalone Redis, sharded on a cluster,
	 * where a broadcast goes to the next of its partitions.
	 */
	CompletableFuture<Long> publish(String channel, String payload) {
		return this.pubSub.publish(channel, payload);
	}

	/**
	 * Hands what arrives on the pub/sub connection to the inbound dispatch, on the
	 * inbound thread, and what happens to the connections to a listener.
	 * @param gap runs when subscriptions lost for a while are confirmed again: what was
	 * published to them meanwhile is to be repaired
	 */
	void listen(Inbound inbound, Listener listener, Runnable gap) {
		this.listener = listener;
		this.pubSub.listen((channel, message) -> this.inbound.execute(() -> inbound.message(channel, message)),
				listener, () -> this.scheduler.execute(gap));
		this.commandConnection.addListener(new ConnectionStateListener(listener));
		// Before any command can reach a server that restarted meanwhile.
		this.commandConnection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				RedisBackend.this.serverRun.disconnected();
			}

		});
	}

	/**
	 * Lets the event thread finish what it was given, waiting a bounded time; events
	 * given later run on the caller.
	 */
	void finishEvents() {
		this.events.shutdown();
		try {
			this.events.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void close() {
		this.scheduler.shutdownNow();
		this.inbound.shutdown();
		this.events.shutdown();
		this.recoveries.shutdownNow();
		try {
			this.inbound.awaitTermination(2, TimeUnit.SECONDS);
			this.events.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.pubSub.close();
		this.commandConnection.close();
	}

	/** What the connections report. */
	interface Listener {

		Listener NONE = new Listener() {

			@Override
			public void dropped(int limit) {
			}

			@Override
			public void disconnected(boolean pubSub) {
			}

			@Override
			public void reconnected() {
			}

		};

		/**
		 * A message arrived but was dropped, because the limit of messages waiting for
		 * the inbound thread was reached; runs on Lettuce's thread, before the next
		 * message.
		 */
		void dropped(int limit);

		/**
		 * A connection dropped; Lettuce reconnects it. Runs on Lettuce's thread, before
		 * any message of the reconnected connection.
		 * @param pubSub whether it is the pub/sub connection, which loses what is
		 * published until it is back
		 */
		void disconnected(boolean pubSub);

		/** A connection came back after a drop. */
		void reconnected();

	}

	private static final class ConnectionStateListener implements RedisConnectionStateListener {

		private final Listener listener;

		ConnectionStateListener(Listener listener) {
			this.listener = listener;
		}

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
			try {
				this.listener.reconnected();
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// Closed meanwhile.
			}
		}

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			this.listener.disconnected(false);
		}

	}

}
