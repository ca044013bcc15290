package dev.wsinfra.realtime;

/**
 * Told of every usage report of every relay session, with its user and model, for exact
 * per-user accounting (billing, quotas); declare it as a bean. The Micrometer meters keep
 * a bounded number of users apart, so they are no ledger. Called on the thread that reads
 * the provider's events: keep it short and hand slow work off.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RealtimeUsageListener {

	/**
	 * Called for each usage report.
	 * @param userId the session's user
	 * @param model the session's model
	 * @param usage the tokens reported
	 */
	void onUsage(String userId, String model, RealtimeUsage usage);

}
