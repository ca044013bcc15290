package dev.wsinfra.server;

/**
 * Callback for the messages a {@link ConnectionManager} queues on the connections this
 * instance holds.
 * <p>
 * A manager tells its send listeners once per message and per instance, with the number
 * of this instance's connections the message was queued on: a broadcast to 1,000
 * connections is one call with {@code 1000}. A message that reached no connection here is
 * not reported, and neither are keepalive pings. A distributed manager reports on each
 * instance what that instance queues on its own connections, including messages that
 * arrive from other instances, and never the sending instance's share of them twice, so
 * the counts of all instances add up to the messages queued in the cluster, each counted
 * once per connection.
 * <p>
 * Listeners run on the sending thread once the message is queued, without any lock held;
 * they must be fast and must not block. An exception from a listener is logged and
 * affects neither the send nor the other listeners.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SendListener {

	/**
	 * Handles a message queued on connections of this instance.
	 * @param type what kind of send queued it
	 * @param connections how many connections it was queued on, at least 1
	 */
	void onSend(SendType type, int connections);

}
