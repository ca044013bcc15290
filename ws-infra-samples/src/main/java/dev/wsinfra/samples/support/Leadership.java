package dev.wsinfra.samples.support;

import java.time.Duration;

/**
 * Chooses the one instance that runs a periodic task, such as producing stock prices, so
 * that several instances sharing Redis do not each send their own: with the in-memory
 * default this instance always leads; with Redis the leader holds a lease that it renews on
 * every run, and another instance takes over within the lease when it stops.
 */
public interface Leadership {

	/**
	 * Takes or renews the lead of a task.
	 * @param task the task's name
	 * @param lease how long the lead lasts without renewal; renew it well within that
	 * @return whether this instance leads the task now
	 */
	boolean lead(String task, Duration lease);

	/**
	 * The leadership of a single instance: it always leads.
	 * @return a leadership that always leads
	 */
	static Leadership alone() {
		return (task, lease) -> true;
	}

}
