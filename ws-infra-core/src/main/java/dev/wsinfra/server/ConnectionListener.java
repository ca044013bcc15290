package dev.wsinfra.server;

/**
 * Callback for connections registered with or removed from a {@link ConnectionManager}.
 * <p>
 * Listeners run on the thread that caused the event, after the manager's state has been
 * updated and without any lock held, so they may call the manager. An exception from a
 * listener is logged and does not affect other listeners or the connection.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ConnectionListener {

	/**
	 * Handles a connect or disconnect.
	 * @param event the event
	 */
	void onEvent(ConnectionEvent event);

}
