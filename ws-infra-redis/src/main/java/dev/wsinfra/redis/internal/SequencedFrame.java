package dev.wsinfra.redis.internal;

import org.jspecify.annotations.Nullable;

/**
 * A message as published on a Redis Cluster: {@code <publisher>:<sequence>:<payload>},
 * where the publisher is an id drawn for each run of an instance and the sequence counts
 * its messages, so a receiver can tell a message re-sent late (Lettuce retries commands
 * buffered for a failed master on the promoted one, after newer ones) from a new one.
 *
 * @param publisher the publisher's id, without {@code :}
 * @param sequence the message's number at its publisher, from 0
 * @param payload the message
 */
record SequencedFrame(String publisher, long sequence, String payload) {

	/**
	 * The publisher of frames that carry no order of their own: those a Lua script
	 * publishes in the same step as the change they announce.
	 */
	static final String UNORDERED = "*";

	/**
	 * {@return whether this frame carries no order: it is delivered as it comes}
	 */
	boolean unordered() {
		return UNORDERED.equals(this.publisher);
	}

	/**
	 * Reads a frame.
	 * @param text the message as received
	 * @return the frame, or {@code null} for a text that is not one
	 */
	static @Nullable SequencedFrame parse(String text) {
		int first = text.indexOf(':');
		int second = (first > 0) ? text.indexOf(':', first + 1) : -1;
		if (second <= first + 1) {
			return null;
		}
		long sequence;
		try {
			sequence = Long.parseLong(text, first + 1, second, 10);
		}
		catch (NumberFormatException ex) {
			return null;
		}
		return (sequence >= 0) ? new SequencedFrame(text.substring(0, first), sequence, text.substring(second + 1))
				: null;
	}

	String format() {
		return this.publisher + ":" + this.sequence + ":" + this.payload;
	}

}
