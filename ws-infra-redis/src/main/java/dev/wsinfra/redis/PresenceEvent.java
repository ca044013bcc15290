package dev.wsinfra.redis;

import java.time.Instant;

/**
 * A user came online somewhere in the cluster, or went offline everywhere. Each
 * transition is reported once in the whole cluster, on the instance whose Redis step
 * observed it.
 *
 * @param type joined or left
 * @param userId the user
 * @param instanceId the instance reporting the event
 * @param timestamp when it was observed
 * @since 0.1.0
 */
public record PresenceEvent(Type type, String userId, String instanceId, Instant timestamp) {

	/**
	 * What happened.
	 */
	public enum Type {

		/** The user's first connection anywhere opened. A second tab is not a join. */
		JOINED,

		/**
		 * The user's last connection anywhere closed (after the grace period, if one is
		 * set), or the instance holding it died.
		 */
		LEFT

	}

}
