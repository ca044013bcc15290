package dev.wsinfra.redis;

/**
 * Callback for cluster-wide presence changes. Listeners run one at a time, in order, on
 * the manager's event thread; they may call the manager. An exception is logged and
 * ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PresenceListener {

	/**
	 * Handles a join or a leave.
	 * @param event the event
	 */
	void onPresence(PresenceEvent event);

}
