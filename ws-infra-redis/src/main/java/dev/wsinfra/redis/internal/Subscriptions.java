package dev.wsinfra.redis.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reference-counted channel subscriptions of one instance: a channel is subscribed while
 * at least one holder holds it. Implemented with plain pub/sub on one connection
 * ({@link ChannelSubscriptions}) and with sharded pub/sub on a Redis Cluster
 * ({@link ShardedChannelSubscriptions}).
 */
public interface Subscriptions {

	/**
	 * Takes a reference on a channel, subscribing with the first one.
	 * @param channel the channel
	 * @return a future completed once Redis confirmed the subscription
	 */
	CompletableFuture<Void> acquire(String channel);

	/**
	 * Drops a reference on a channel, unsubscribing with the last one.
	 * @param channel the channel
	 */
	void release(String channel);

	/**
	 * Returns the confirmation of a held channel.
	 * @param channel the channel
	 * @return the future of the latest subscription; a completed one when not held
	 */
	CompletableFuture<Void> confirmation(String channel);

	/**
	 * Returns the channels held now.
	 * @return a copy of the held channels
	 */
	Set<String> channels();

	/**
	 * Subscribes again to every held channel, in case Redis lost them.
	 * @return a future completed once Redis confirmed them all
	 */
	CompletableFuture<Void> resubscribeAll();

	/**
	 * Returns whether no held channel waits for its subscription to come back after
	 * losing it (a dropped connection, a failed-over or migrated slot): what is published
	 * to such a channel is lost to this instance until then. A channel acquired just now
	 * and not confirmed yet does not count.
	 * @return {@code false} while a lost subscription is not confirmed again
	 */
	boolean restored();

}
