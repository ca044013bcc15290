package dev.wsinfra.redis;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

import dev.wsinfra.redis.internal.ChannelSubscriptions;
import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.Subscriptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Plain pub/sub on one connection, for a standalone or Sentinel Redis. After the
 * connection comes back, it subscribes every held channel again and reports the
 * reconnection only once Redis confirmed them, so that the manager does not count Redis
 * as available while it would still miss what is published to them.
 */
final class PlainPubSub implements PubSub {

	private final StatefulRedisPubSubConnection<String, String> connection;

	private final RedisGateway gateway;

	private final KeyLayout keys;

	private final ChannelSubscriptions subscriptions;

	PlainPubSub(StatefulRedisPubSubConnection<String, String> connection, RedisGateway gateway, KeyLayout keys) {
		this.connection = connection;
		this.gateway = gateway;
		this.keys = keys;
		this.subscriptions = new ChannelSubscriptions(connection);
	}

	@Override
	public Subscriptions subscriptions() {
		return this.subscriptions;
	}

	@Override
	public List<String> broadcastChannels() {
		return this.keys.broadcastChannels();
	}

	@Override
	public ScriptPublish scriptPublish() {
		return ScriptPublish.PLAIN;
	}

	@Override
	public CompletableFuture<Long> publish(String channel, String payload) {
		return this.gateway.async().publish(channel, payload).toCompletableFuture();
	}

	@Override
	public void listen(BiConsumer<String, String> deliver, RedisBackend.Listener listener, Runnable gap) {
		this.connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String channel, String message) {
				deliver.accept(channel, message);
			}

		});
		this.connection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
				PlainPubSub.this.subscriptions.resubscribeAll().whenComplete((confirmed, failure) -> {
					try {
						listener.reconnected();
					}
					catch (RejectedExecutionException ex) {
						// Closed meanwhile.
					}
				});
			}

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				PlainPubSub.this.subscriptions.connectionLost();
				listener.disconnected(true);
			}

		});
	}

	@Override
	public void close() {
		this.connection.close();
	}

}
