package dev.wsinfra.redis;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counts a manager reports, since it was created.
 */
final class Statistics {

	/** Messages published to Redis, persistent ones included. */
	final AtomicLong published = new AtomicLong();

	/** Messages received from Redis and delivered or applied. */
	final AtomicLong received = new AtomicLong();

	/** Messages from Redis dropped because too many waited for local delivery. */
	final AtomicLong dropped = new AtomicLong();

	/** Recoveries that replayed a stream. */
	final AtomicLong recoveries = new AtomicLong();

	/** Recoveries and repairs that ended with {@code recovered: false}. */
	final AtomicLong failedRecoveries = new AtomicLong();

	/** Entries that recoveries replayed. */
	final AtomicLong replayed = new AtomicLong();

}
