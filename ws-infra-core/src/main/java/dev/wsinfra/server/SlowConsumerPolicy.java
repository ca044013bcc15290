package dev.wsinfra.server;

/**
 * What happens when a connection's outbound queue is full because its peer reads slower than
 * messages arrive.
 *
 * @since 0.1.0
 */
public enum SlowConsumerPolicy {

	/** Close the connection with 1013 (try again later) and drop what was queued for it. */
	CLOSE,

	/** Keep the connection and drop its oldest queued messages to make room. */
	DROP_OLDEST

}
