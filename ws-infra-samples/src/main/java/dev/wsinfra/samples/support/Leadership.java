package dev.wsinfra.samples.support;

import java.time.Duration;

/**
 * Chooses the one instance that runs a periodic task, such as producing stock prices, so
 * that several instances sharing Redis do not each send their own: with the in-memory
 * default this instance always leads; with Redis the leader holds a lease that it renews
 * on every run, and another instance takes over within the lease when it stops.
 */
public interface Leadership {

	/** The shortest lease {@link #leaseFor} gives. */
	Duration MINIMUM_LEASE = Duration.ofSeconds(5);

	/**
	 * Takes or renews the lead of a task.
	 * @param task the task's name
	 * @param lease how long the lead lasts without renewal; renew it well within that
	 * @return whether this instance leads the task now
	 */
	boolean lead(String task, Duration lease);

	/**
	 * Returns the lease for a task run every {@code period}: three periods, and at least
	 * five seconds, so that a leader whose run comes late (a pause, a busy machine) keeps
	 * the lead; another instance takes over at most that long after the leader stopped.
	 * @param period the task's period
	 * @return the lease
	 */
	static Duration leaseFor(Duration period) {
		Duration threePeriods = period.multipliedBy(3);
		return (threePeriods.compareTo(MINIMUM_LEASE) > 0) ? threePeriods : MINIMUM_LEASE;
	}

	/**
	 * The leadership of a single instance: it always leads.
	 * @return a leadership that always leads
	 */
	static Leadership alone() {
		return (task, lease) -> true;
	}

}
