package dev.wsinfra.redis;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The room changes this instance waits to have acknowledged by the user's instances: for
 * a join each acknowledges once it is subscribed to the room's channel, so that a room
 * message sent after the join returns reaches the user's connections everywhere; on a
 * Redis Cluster, for a leave, once it applied the leave, so that such a message no longer
 * reaches them.
 */
final class RoomChangeAcknowledgements {

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	/**
	 * Starts waiting for the acknowledgements of a change about to be published, so that
	 * none arrives unseen.
	 */
	Pending begin() {
		Pending join = new Pending(UUID.randomUUID().toString());
		this.pending.put(join.id, join);
		return join;
	}

	/** Counts an acknowledgement, from any instance, this one included. */
	void acknowledged(String id) {
		Pending join = this.pending.get(id);
		if (join != null) {
			join.acknowledged();
		}
	}

	/** Stops waiting for a join. */
	void end(Pending join) {
		this.pending.remove(join.id, join);
	}

	/** A join waiting for its acknowledgements. */
	static final class Pending {

		final String id;

		private final CompletableFuture<Void> complete = new CompletableFuture<>();

		// Guarded by this.
		private int received;

		// Guarded by this; unknown until the join was published.
		private int expected = -1;

		Pending(String id) {
			this.id = id;
		}

		synchronized void acknowledged() {
			this.received++;
			check();
		}

		/**
		 * Waits until as many instances as the join notice reached acknowledged it.
		 * @return whether they all did within the timeout
		 */
		boolean await(int expected, Duration timeout) throws InterruptedException {
			synchronized (this) {
				this.expected = expected;
				check();
			}
			try {
				this.complete.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				return true;
			}
			catch (TimeoutException ex) {
				return false;
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(ex.getCause());
			}
		}

		// Caller holds the lock.
		private void check() {
			if (this.expected >= 0 && this.received >= this.expected) {
				this.complete.complete(null);
			}
		}

	}

}
