package dev.wsinfra.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import dev.wsinfra.redis.internal.Subscriptions;

/**
 * The pub/sub side of a {@link RedisBackend}: plain {@code SUBSCRIBE}/{@code PUBLISH} on
 * a standalone or Sentinel Redis ({@link PlainPubSub}), sharded pub/sub on a Redis
 * Cluster ({@link ShardedPubSub}).
 */
interface PubSub {

	Subscriptions subscriptions();

	/**
	 * Returns the channels every instance holds to hear broadcasts.
	 * @return one channel, or the partitions of broadcasts on a cluster
	 */
	List<String> broadcastChannels();

	/**
	 * Publishes without waiting; a message to the broadcast channel reaches every
	 * instance.
	 * @return a future of how many subscribers got it
	 */
	CompletableFuture<Long> publish(String channel, String payload);

	/**
	 * Starts handing over what arrives.
	 * @param deliver takes the channel (broadcasts under the broadcast channel's name)
	 * and the payload of each message, in the order of each publisher; runs on a Lettuce
	 * thread and must not block
	 * @param listener what hears of the connection's drops and returns
	 * @param gap runs when subscriptions that had been lost are confirmed again
	 */
	void listen(BiConsumer<String, String> deliver, RedisBackend.Listener listener, Runnable gap);

	/**
	 * Returns how the Lua scripts publish to these subscriptions.
	 * @return the scripts' way of publishing
	 */
	ScriptPublish scriptPublish();

	void close();

}
