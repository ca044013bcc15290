package dev.wsinfra.redis;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import dev.wsinfra.internal.LogValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells a manager's presence listeners, on the backend's event thread, in order; a
 * departure is told to the rooms the user left too.
 */
final class PresenceEvents {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final String instanceId;

	private final List<PresenceListener> listeners;

	private final Executor executor;

	private final ClusterSends sends;

	/**
	 * @param listeners the manager's listeners, which may grow meanwhile
	 * @param sends where room notices of departures go
	 */
	PresenceEvents(String instanceId, List<PresenceListener> listeners, Executor executor, ClusterSends sends) {
		this.instanceId = instanceId;
		this.listeners = listeners;
		this.executor = executor;
		this.sends = sends;
	}

	/**
	 * Reports users that left everywhere: to the presence listeners, and to the rooms
	 * they left, on the event thread too (never on Lettuce's, where a send that finds a
	 * session closed would run the application's disconnect listeners).
	 */
	void departed(List<PresenceStore.Departure> departures) {
		if (departures.isEmpty()) {
			return;
		}
		fire(PresenceEvent.Type.LEFT, PresenceStore.Departure.userIds(departures));
		try {
			this.executor.execute(() -> this.sends.departed(departures));
		}
		catch (RejectedExecutionException ex) {
			// Stopped: tell them here.
			this.sends.departed(departures);
		}
	}

	void fire(PresenceEvent.Type type, List<String> userIds) {
		if (userIds.isEmpty() || this.listeners.isEmpty()) {
			return;
		}
		Instant now = Instant.now();
		for (String userId : userIds) {
			PresenceEvent event = new PresenceEvent(type, userId, this.instanceId, now);
			try {
				this.executor.execute(() -> tell(event));
			}
			catch (RejectedExecutionException ex) {
				// Stopped: tell them here, the last events of this instance.
				tell(event);
			}
		}
	}

	private void tell(PresenceEvent event) {
		for (PresenceListener listener : this.listeners) {
			try {
				listener.onPresence(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Presence listener " + listener + " failed for " + LogValues.escape(event), ex);
			}
		}
	}

}
