package dev.wsinfra.redis;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.wsinfra.redis.internal.RedisGateway;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * What a manager believes about Redis: whether the last call got through, and whether
 * Redis may be missing something this instance holds. While unavailable, the manager
 * skips Redis and works locally; the heartbeat notices when Redis answers again and a
 * resync clears the dirty flag. {@link #probe} asks Redis while it is believed available,
 * one PING at a time for every caller. Redis counts as available again only once the
 * subscriptions it lost are confirmed again: until then, what other instances publish
 * would not reach this one.
 */
final class RedisHealth {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final String instanceId;

	private volatile boolean available;

	private volatile boolean dirty;

	private volatile @Nullable Instant unavailableSince;

	// When Redis last counted as available again, in System.nanoTime().
	private volatile long availableAgainAt = System.nanoTime();

	private volatile BooleanSupplier subscriptionsRestored = () -> true;

	private volatile Runnable lost = () -> {
	};

	// The PING under way, which concurrent callers of probe wait for instead of sending
	// their own.
	private final AtomicReference<@Nullable CompletableFuture<Boolean>> probe = new AtomicReference<>();

	RedisHealth(String instanceId) {
		this.instanceId = instanceId;
	}

	boolean isAvailable() {
		return this.available;
	}

	/**
	 * Makes availability wait for the subscriptions of a run.
	 * @param restored whether no subscription waits to be confirmed again after a loss
	 */
	void watch(BooleanSupplier restored) {
		this.subscriptionsRestored = restored;
	}

	/**
	 * Sets what to do, without blocking, when Redis becomes unavailable.
	 * @param action run on the thread that found it unavailable
	 */
	void whenLost(Runnable action) {
		this.lost = action;
	}

	/**
	 * Records that Redis answered; it counts as available only once the lost
	 * subscriptions are confirmed again.
	 * @return whether it had been unavailable and is available now
	 */
	boolean available() {
		if (this.available || !this.subscriptionsRestored.getAsBoolean()) {
			return false;
		}
		this.availableAgainAt = System.nanoTime();
		this.available = true;
		this.unavailableSince = null;
		return true;
	}

	void unavailable(Throwable failure) {
		if (this.available) {
			// Since when first: a reader that sees the flag down finds the time set.
			this.unavailableSince = Instant.now();
			this.available = false;
			logger.warn("Redis unavailable for instance " + this.instanceId
					+ "; delivering locally until it answers again: " + failure.getMessage());
			this.lost.run();
		}
	}

	/**
	 * Records that a command sent without waiting failed, which makes Redis unavailable
	 * unless the command was sent before Redis last counted as available again: such a
	 * command, a publish sent to a master that then died for example, fails up to the
	 * command timeout later, and its failure belongs to the outage that is over.
	 * @param failure why it failed
	 * @param sentAt when it was sent, in {@link System#nanoTime()}
	 */
	void failed(Throwable failure, long sentAt) {
		if (sentAt - this.availableAgainAt >= 0) {
			unavailable(failure);
		}
	}

	/**
	 * Returns since when Redis has been unavailable, or {@code null} while it is
	 * available.
	 */
	@Nullable Instant unavailableSince() {
		return this.unavailableSince;
	}

	/**
	 * Returns whether Redis answers: {@code false} at once while it is known to be
	 * unavailable or a lost subscription is not confirmed again, else whether it answers
	 * a PING within the gateway's timeout. Concurrent callers share one PING, so a Redis
	 * that stalls costs one timeout, not one per caller; a PING that fails marks Redis
	 * unavailable.
	 */
	boolean probe(RedisGateway gateway) {
		if (!this.available || !this.subscriptionsRestored.getAsBoolean()) {
			return false;
		}
		CompletableFuture<Boolean> mine = new CompletableFuture<>();
		CompletableFuture<Boolean> running = this.probe.compareAndExchange(null, mine);
		if (running != null) {
			return join(running);
		}
		boolean answered = false;
		try {
			answered = "PONG".equals(gateway.await(gateway.async().ping(), "ping"));
		}
		catch (DataAccessException ex) {
			unavailable(ex);
		}
		finally {
			this.probe.set(null);
			mine.complete(answered);
		}
		return answered;
	}

	private static boolean join(CompletableFuture<Boolean> probe) {
		try {
			// Bounded: the thread that sent the PING completes it within the
			// gateway's timeout.
			return probe.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			return false;
		}
	}

	boolean isDirty() {
		return this.dirty;
	}

	/** Records that Redis may miss something this instance holds. */
	void dirty() {
		this.dirty = true;
	}

	void clean() {
		this.dirty = false;
	}

}
