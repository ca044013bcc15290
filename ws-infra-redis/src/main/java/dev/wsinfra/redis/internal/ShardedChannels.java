package dev.wsinfra.redis.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ShardedChannelSubscriptions} knows of its channels, without any I/O: the
 * references, where each channel's subscription is confirmed, which attempt is under way,
 * which channels need work, and what must be unsubscribed where. Every change is made
 * under one lock; {@link #accepts} reads without it.
 */
final class ShardedChannels {

	private final Object lock = new Object();

	// Changed under lock; read without it by the message path.
	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	// Guarded by lock: channels to look at in the next partial plan.
	private final Set<Channel> dirty = new LinkedHashSet<>();

	// Guarded by lock: SUNSUBSCRIBEs to issue, in order.
	private final List<Unsubscription> unsubscriptions = new ArrayList<>();

	// Guarded by lock: channels confirmed again after a gap, not reported yet.
	private final Set<String> recovered = new LinkedHashSet<>();

	/**
	 * Takes a reference on a channel.
	 * @return its confirmation, and whether it is the first reference
	 */
	Reference acquire(String name) {
		synchronized (this.lock) {
			Channel channel = this.channels.get(name);
			boolean first = channel == null;
			if (first) {
				channel = new Channel(name);
				this.channels.put(name, channel);
				this.dirty.add(channel);
			}
			channel.references++;
			return new Reference(channel.confirmed, first);
		}
	}

	/**
	 * Drops a reference on a channel; with the last one, forgets the channel, plans its
	 * unsubscription wherever it may be subscribed and cancels its pending confirmation.
	 * @return whether that was the last reference
	 */
	boolean release(String name) {
		CompletableFuture<Void> pending;
		synchronized (this.lock) {
			Channel channel = this.channels.get(name);
			if (channel == null || --channel.references > 0) {
				return false;
			}
			this.channels.remove(name);
			this.dirty.remove(channel);
			String node = channel.node;
			if (node != null) {
				this.unsubscriptions.add(new Unsubscription(node, name));
			}
			if (channel.pending != null && !channel.pending.node.equals(node)) {
				this.unsubscriptions.add(new Unsubscription(channel.pending.node, name));
			}
			pending = channel.confirmed;
		}
		pending.cancel(false);
		return true;
	}

	CompletableFuture<Void> confirmation(String name) {
		synchronized (this.lock) {
			Channel channel = this.channels.get(name);
			return (channel != null) ? channel.confirmed : CompletableFuture.completedFuture(null);
		}
	}

	Set<String> names() {
		synchronized (this.lock) {
			return Set.copyOf(this.channels.keySet());
		}
	}

	/**
	 * Marks every channel to be subscribed again, confirmed or not.
	 * @return a future completed once all of them are confirmed again
	 */
	CompletableFuture<Void> forceAll() {
		List<CompletableFuture<Void>> all = new ArrayList<>();
		synchronized (this.lock) {
			for (Channel channel : this.channels.values()) {
				channel.forced = true;
				if (channel.confirmed.isDone()) {
					channel.confirmed = new CompletableFuture<>();
				}
				this.dirty.add(channel);
				all.add(channel.confirmed);
			}
		}
		return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
	}

	boolean allConfirmed() {
		return this.channels.values().stream().allMatch((channel) -> channel.node != null);
	}

	boolean noneLost() {
		synchronized (this.lock) {
			return this.channels.values().stream().noneMatch((channel) -> channel.lost);
		}
	}

	@Nullable String confirmedNode(String name) {
		Channel channel = this.channels.get(name);
		return (channel != null) ? channel.node : null;
	}

	/**
	 * Returns whether a message from a node counts: it is where the channel is confirmed.
	 */
	boolean accepts(String node, String name) {
		Channel channel = this.channels.get(name);
		return channel != null && node.equals(channel.node);
	}

	/**
	 * Plans the next commands: the pending unsubscriptions, then one attempt per node and
	 * slot for the channels that are not confirmed at the owner of their slot.
	 * @param everything whether to look at every channel, or only at those changed since
	 * @param owner the {@code host:port} of the master serving a slot, or {@code null}
	 * @return the plan; its attempts are marked pending
	 */
	Plan plan(boolean everything, IntFunction<@Nullable String> owner) {
		synchronized (this.lock) {
			List<Unsubscription> unsubscribe = new ArrayList<>(this.unsubscriptions);
			this.unsubscriptions.clear();
			List<Channel> candidates = new ArrayList<>(everything ? this.channels.values() : this.dirty);
			this.dirty.clear();
			Map<String, Map<Integer, Attempt>> attempts = new LinkedHashMap<>();
			boolean waiting = false;
			for (Channel channel : candidates) {
				String at = owner.apply(channel.slot);
				String node = channel.node;
				if (channel.pending != null || (at != null && at.equals(node) && !channel.forced)) {
					continue;
				}
				if (node != null && !node.equals(at)) {
					lose(channel);
					unsubscribe.add(new Unsubscription(node, channel.name));
				}
				if (at == null) {
					this.dirty.add(channel);
					waiting = true;
					continue;
				}
				channel.forced = false;
				Attempt attempt = attempts.computeIfAbsent(at, (key) -> new LinkedHashMap<>())
					.computeIfAbsent(channel.slot, (slot) -> new Attempt(at));
				attempt.channels.add(channel);
				channel.pending = attempt;
			}
			List<Attempt> subscribe = new ArrayList<>();
			attempts.values().forEach((perSlot) -> subscribe.addAll(perSlot.values()));
			return new Plan(unsubscribe, subscribe, waiting);
		}
	}

	/**
	 * Records a confirmed attempt: its channels, if still held and still waiting for it,
	 * count messages from its node from now on.
	 * @return the confirmations to complete
	 */
	List<CompletableFuture<Void>> confirmed(Attempt attempt) {
		List<CompletableFuture<Void>> completed = new ArrayList<>();
		synchronized (this.lock) {
			for (Channel channel : attempt.channels) {
				if (channel.pending != attempt || this.channels.get(channel.name) != channel) {
					continue;
				}
				channel.pending = null;
				channel.node = attempt.node;
				completed.add(channel.confirmed);
				if (channel.lost) {
					channel.lost = false;
					this.recovered.add(channel.name);
				}
			}
		}
		return completed;
	}

	/** Records a failed attempt: its channels are tried again in the next plan. */
	void failed(Attempt attempt) {
		synchronized (this.lock) {
			for (Channel channel : attempt.channels) {
				if (channel.pending == attempt) {
					channel.pending = null;
					if (this.channels.get(channel.name) == channel) {
						this.dirty.add(channel);
					}
				}
			}
		}
	}

	/** Takes the channels confirmed again after a gap since the last call. */
	Set<String> takeRecovered() {
		synchronized (this.lock) {
			Set<String> taken = Set.copyOf(this.recovered);
			this.recovered.clear();
			return taken;
		}
	}

	/**
	 * Records that a node's connection dropped: its channels lost their subscription.
	 * @return whether any channel was confirmed there
	 */
	boolean disconnected(String node) {
		boolean lost = false;
		synchronized (this.lock) {
			for (Channel channel : this.channels.values()) {
				if (node.equals(channel.node)) {
					lose(channel);
					lost = true;
				}
			}
		}
		return lost;
	}

	/**
	 * Records that a node dropped a channel's subscription ({@code sunsubscribe}).
	 * @return whether it was the confirmed one, not one this class dropped itself
	 */
	boolean unsubscribed(String node, String name) {
		synchronized (this.lock) {
			Channel channel = this.channels.get(name);
			if (channel == null || !node.equals(channel.node)) {
				return false;
			}
			lose(channel);
			return true;
		}
	}

	/**
	 * Records that a node confirmed a subscription ({@code ssubscribe}), and plans its
	 * unsubscription when it is none of this class's: a channel not held, or held
	 * elsewhere (Lettuce re-subscribes a node connection when it reconnects, even to a
	 * master that came back as a replica).
	 * @param owner the {@code host:port} of the master serving the channel's slot
	 * @return whether an unsubscription was planned
	 */
	boolean subscribed(String node, String name, @Nullable String owner) {
		synchronized (this.lock) {
			Channel channel = this.channels.get(name);
			if (channel != null && (node.equals(channel.node) || node.equals(owner)
					|| (channel.pending != null && node.equals(channel.pending.node)))) {
				return false;
			}
			this.unsubscriptions.add(new Unsubscription(node, name));
			return true;
		}
	}

	// Caller holds lock.
	private void lose(Channel channel) {
		channel.node = null;
		channel.lost = true;
		if (channel.confirmed.isDone()) {
			channel.confirmed = new CompletableFuture<>();
		}
		this.dirty.add(channel);
	}

	/**
	 * A reference taken on a channel.
	 *
	 * @param confirmed the channel's confirmation
	 * @param first whether it is the channel's first reference
	 */
	record Reference(CompletableFuture<Void> confirmed, boolean first) {
	}

	record Unsubscription(String node, String channel) {
	}

	/**
	 * The commands to issue, in order.
	 *
	 * @param unsubscribe the {@code SUNSUBSCRIBE}s, first
	 * @param subscribe the {@code SSUBSCRIBE}s
	 * @param waiting whether a channel's slot has no known owner
	 */
	record Plan(List<Unsubscription> unsubscribe, Collection<Attempt> subscribe, boolean waiting) {
	}

	/** One {@code SSUBSCRIBE}: channels of one slot at one node. */
	static final class Attempt {

		final String node;

		private final List<Channel> channels = new ArrayList<>();

		Attempt(String node) {
			this.node = node;
		}

		String[] names() {
			return this.channels.stream().map((channel) -> channel.name).toArray(String[]::new);
		}

	}

	/** One held channel. Fields other than {@code node} are guarded by lock. */
	private static final class Channel {

		final String name;

		final int slot;

		int references;

		CompletableFuture<Void> confirmed = new CompletableFuture<>();

		// Where the subscription is confirmed; the only node whose messages count.
		volatile @Nullable String node;

		@Nullable Attempt pending;

		// Had been confirmed, then lost its subscription.
		boolean lost;

		boolean forced;

		Channel(String name) {
			this.name = name;
			this.slot = SlotHash.getSlot(name);
		}

	}

}
