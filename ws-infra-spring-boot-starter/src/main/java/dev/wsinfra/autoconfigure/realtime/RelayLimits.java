package dev.wsinfra.autoconfigure.realtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Counts the relay sessions of this instance, in all and by user, against
 * {@code ws.realtime.max-sessions-per-instance} and
 * {@code ws.realtime.max-sessions-per-user}.
 */
final class RelayLimits {

	private final int maxSessions;

	private final int maxPerUser;

	private final AtomicInteger total = new AtomicInteger();

	// Sessions by user; a user's entry is changed only inside the map's compute calls.
	private final Map<String, Integer> byUser = new ConcurrentHashMap<>();

	RelayLimits(int maxSessions, int maxPerUser) {
		this.maxSessions = maxSessions;
		this.maxPerUser = maxPerUser;
	}

	/**
	 * Takes a place for a session of a user.
	 * @return {@code null} when taken, else the limit that refused it
	 */
	@Nullable RelayClose acquire(String userId) {
		if (this.total.incrementAndGet() > this.maxSessions && this.maxSessions > 0) {
			this.total.decrementAndGet();
			return RelayClose.INSTANCE_CAPACITY;
		}
		boolean[] refused = new boolean[1];
		this.byUser.compute(userId, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (this.maxPerUser > 0 && current >= this.maxPerUser) {
				refused[0] = true;
				return count;
			}
			return current + 1;
		});
		if (refused[0]) {
			this.total.decrementAndGet();
			return RelayClose.TOO_MANY_SESSIONS;
		}
		return null;
	}

	/** Gives back the place of an ended session of a user. */
	void release(String userId) {
		this.total.decrementAndGet();
		this.byUser.computeIfPresent(userId, (key, count) -> (count <= 1) ? null : count - 1);
	}

	int active() {
		return this.total.get();
	}

}
