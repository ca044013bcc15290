package dev.wsinfra.redis.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Reference-counted channel subscriptions on one pub/sub connection: a channel is
 * subscribed when its first holder acquires it and unsubscribed when its last holder
 * releases it. SUBSCRIBE and UNSUBSCRIBE are issued under one lock, so Redis sees them in
 * the order of the state changes and the final state always matches the counts.
 */
public final class ChannelSubscriptions implements Subscriptions {

	private static final int BATCH = 500;

	private final StatefulRedisPubSubConnection<String, String> connection;

	private final Object lock = new Object();

	// Guarded by lock.
	private final Map<String, Subscription> channels = new HashMap<>();

	// Guarded by lock: counts the connection's losses, so that a resubscription
	// confirmed after a newer loss does not count as restoring it.
	private long losses;

	private volatile boolean restored = true;

	public ChannelSubscriptions(StatefulRedisPubSubConnection<String, String> connection) {
		this.connection = connection;
	}

	/**
	 * Takes a reference on a channel.
	 * @return a future completed once Redis confirmed the subscription
	 */
	public CompletableFuture<Void> acquire(String channel) {
		synchronized (this.lock) {
			Subscription subscription = this.channels.get(channel);
			if (subscription == null) {
				subscription = new Subscription(subscribe(List.of(channel)));
				this.channels.put(channel, subscription);
			}
			subscription.references++;
			return subscription.confirmed;
		}
	}

	/**
	 * Drops a reference on a channel, unsubscribing with the last one.
	 */
	public void release(String channel) {
		synchronized (this.lock) {
			Subscription subscription = this.channels.get(channel);
			if (subscription != null && --subscription.references == 0) {
				this.channels.remove(channel);
				this.connection.async().unsubscribe(channel);
			}
		}
	}

	/**
	 * Returns the confirmation of a held channel.
	 * @return the future of the latest SUBSCRIBE, or a completed one for a channel not
	 * held
	 */
	public CompletableFuture<Void> confirmation(String channel) {
		synchronized (this.lock) {
			Subscription subscription = this.channels.get(channel);
			return (subscription != null) ? subscription.confirmed : CompletableFuture.completedFuture(null);
		}
	}

	public Set<String> channels() {
		synchronized (this.lock) {
			return Set.copyOf(this.channels.keySet());
		}
	}

	/**
	 * Subscribes again to every held channel, in case the connection lost them.
	 * @return a future completed once Redis confirmed them all
	 */
	public CompletableFuture<Void> resubscribeAll() {
		synchronized (this.lock) {
			long loss = this.losses;
			List<String> batch = new ArrayList<>(BATCH);
			List<CompletableFuture<Void>> all = new ArrayList<>();
			List<Subscription> pending = new ArrayList<>(BATCH);
			for (Map.Entry<String, Subscription> entry : this.channels.entrySet()) {
				batch.add(entry.getKey());
				pending.add(entry.getValue());
				if (batch.size() == BATCH) {
					all.add(resubscribe(batch, pending));
					batch = new ArrayList<>(BATCH);
					pending = new ArrayList<>(BATCH);
				}
			}
			if (!batch.isEmpty()) {
				all.add(resubscribe(batch, pending));
			}
			CompletableFuture<Void> confirmed = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
			confirmed.thenRun(() -> restoredAfter(loss));
			return confirmed;
		}
	}

	/**
	 * Records that the connection dropped: its subscriptions count as lost until a
	 * {@link #resubscribeAll()} issued afterwards is confirmed.
	 */
	public void connectionLost() {
		synchronized (this.lock) {
			this.losses++;
			this.restored = false;
		}
	}

	private void restoredAfter(long loss) {
		synchronized (this.lock) {
			if (this.losses == loss) {
				this.restored = true;
			}
		}
	}

	@Override
	public boolean restored() {
		return this.restored;
	}

	// Caller holds lock.
	private CompletableFuture<Void> resubscribe(List<String> batch, List<Subscription> subscriptions) {
		CompletableFuture<Void> confirmed = subscribe(batch);
		for (Subscription subscription : subscriptions) {
			subscription.confirmed = confirmed;
		}
		return confirmed;
	}

	private CompletableFuture<Void> subscribe(List<String> batch) {
		return this.connection.async().subscribe(batch.toArray(String[]::new)).toCompletableFuture();
	}

	private static final class Subscription {

		int references;

		CompletableFuture<Void> confirmed;

		Subscription(CompletableFuture<Void> confirmed) {
			this.confirmed = confirmed;
		}

	}

}
