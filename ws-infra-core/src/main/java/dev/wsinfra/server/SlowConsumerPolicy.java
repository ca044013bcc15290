package dev.wsinfra.server;

/**
 * What happens when a connection's outbound queue is full (in messages or bytes), or its
 * oldest message waited longer than the maximum delay, because its peer reads slower than
 * messages arrive.
 *
 * @since 0.1.0
 */
public enum SlowConsumerPolicy {

	/**
	 * Close the connection with 1013 (try again later) and drop what was queued for it.
	 */
	CLOSE,

	/**
	 * Keep the connection and drop its oldest queued messages to make room, and those
	 * that waited longer than the maximum delay.
	 */
	DROP_OLDEST

}
