package dev.wsinfra.server.internal;

import dev.wsinfra.internal.LogValues;
import dev.wsinfra.server.ConnectionEvent;
import dev.wsinfra.server.ConnectionListener;
import org.apache.commons.logging.Log;

/**
 * Tells connection listeners of an event, the same way in every manager: in order, a
 * listener that throws logged and skipped.
 */
public final class ConnectionListeners {

	private ConnectionListeners() {
	}

	/**
	 * Calls each listener with the event.
	 * @param listeners the listeners, in the order they registered
	 * @param event the event
	 * @param logger the manager's logger, for a listener that throws
	 */
	public static void notify(Iterable<ConnectionListener> listeners, ConnectionEvent event, Log logger) {
		for (ConnectionListener listener : listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Connection listener " + listener + " failed for connection " + event.connectionId()
						+ " of user " + LogValues.escape(event.userId()), ex);
			}
		}
	}

}
