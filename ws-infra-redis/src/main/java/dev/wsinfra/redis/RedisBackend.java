package dev.wsinfra.redis;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.redis.internal.ChannelSubscriptions;
import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.RedisKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Redis side of a running {@link RedisConnectionManager}: its two Redis connections,
 * the stores on them and its threads. Opened by {@code start}, closed by {@code stop}.
 * <p>
 * Threads: one scheduler (heartbeat, resync, repair, reaping, grace-period leaves), one
 * thread that delivers what arrives on the pub/sub connection in arrival order, off
 * Lettuce's event loop, with at most
 * {@link RedisConnectionManagerOptions#inboundQueueLimit()} messages waiting for it (more
 * are dropped, and repaired), one that runs presence listeners in order, and one for
 * recoveries that waited for a room join.
 */
final class RedisBackend {

	final RedisGateway gateway;

	final ChannelSubscriptions subscriptions;

	final PresenceStore presence;

	final StreamStore streams;

	private final ServerRun serverRun = new ServerRun();

	final ScheduledExecutorService scheduler;

	final ExecutorService events;

	final ExecutorService recoveries;

	private final ThreadPoolExecutor inbound;

	private final StatefulRedisConnection<String, String> commandConnection;

	private final StatefulRedisPubSubConnection<String, String> pubSubConnection;

	// Set by listen, before anything arrives.
	private volatile Listener listener = Listener.NONE;

	private RedisBackend(StatefulRedisConnection<String, String> commandConnection,
			StatefulRedisPubSubConnection<String, String> pubSubConnection, RedisKeys keys, JsonMapper jsonMapper,
			RedisConnectionManagerOptions options) {
		this.commandConnection = commandConnection;
		this.pubSubConnection = pubSubConnection;
		this.gateway = new RedisGateway(commandConnection, options.commandTimeout());
		this.subscriptions = new ChannelSubscriptions(pubSubConnection);
		this.presence = new PresenceStore(this.gateway, keys, jsonMapper, options, this.serverRun);
		// Plain PUBLISH, as the subscriptions are plain SUBSCRIBEs.
		this.streams = new StreamStore(this.gateway, keys, options, this.serverRun, false);
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
	 * Opens the connections of a manager.
	 * @throws IllegalStateException for a Redis Cluster client, which the manager does
	 * not support
	 */
	static RedisBackend open(AbstractRedisClient client, RedisKeys keys, JsonMapper jsonMapper,
			RedisConnectionManagerOptions options) {
		if (!(client instanceof RedisClient redisClient)) {
			throw new IllegalStateException("RedisConnectionManager needs a standalone or Sentinel Redis client, not "
					+ client.getClass().getName());
		}
		StatefulRedisConnection<String, String> commands = redisClient.connect(StringCodec.UTF8);
		StatefulRedisPubSubConnection<String, String> pubSub;
		try {
			pubSub = redisClient.connectPubSub(StringCodec.UTF8);
		}
		catch (RuntimeException ex) {
			commands.close();
			throw ex;
		}
		return new RedisBackend(commands, pubSub, keys, jsonMapper, options);
	}

	/**
	 * Hands what arrives on the pub/sub connection to the inbound dispatch, on the
	 * inbound thread, and what happens to the connections to a listener.
	 */
	void listen(Inbound inbound, Listener listener) {
		this.listener = listener;
		this.pubSubConnection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String channel, String message) {
				RedisBackend.this.inbound.execute(() -> inbound.message(channel, message));
			}

		});
		this.commandConnection.addListener(new ConnectionStateListener(listener, false));
		// Before any command can reach a server that restarted meanwhile.
		this.commandConnection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				RedisBackend.this.serverRun.disconnected();
			}

		});
		this.pubSubConnection.addListener(new ConnectionStateListener(listener, true));
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
		this.pubSubConnection.close();
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

		private final boolean pubSub;

		ConnectionStateListener(Listener listener, boolean pubSub) {
			this.listener = listener;
			this.pubSub = pubSub;
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
			this.listener.disconnected(this.pubSub);
		}

	}

}
