package dev.wsinfra.redis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import dev.wsinfra.internal.LogValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The presence listeners of a manager, told on the backend's event thread, in order.
 */
final class PresenceEvents {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final String instanceId;

	private final List<PresenceListener> listeners = new CopyOnWriteArrayList<>();

	PresenceEvents(String instanceId) {
		this.instanceId = instanceId;
	}

	void add(PresenceListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
	}

	void fire(PresenceEvent.Type type, List<String> userIds, RedisBackend backend) {
		if (userIds.isEmpty() || this.listeners.isEmpty()) {
			return;
		}
		Instant now = Instant.now();
		for (String userId : userIds) {
			PresenceEvent event = new PresenceEvent(type, userId, this.instanceId, now);
			try {
				backend.events.execute(() -> tell(event));
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
