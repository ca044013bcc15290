package dev.wsinfra.redis.internal;

import org.jspecify.annotations.Nullable;

/**
 * An entry of a persistent stream.
 *
 * @param stream the stream's name, such as {@code broadcast} or {@code room:lobby}
 * @param id the Redis stream id
 * @param epoch the stream's epoch
 * @param data the message as JSON text
 * @param excludeUser the user that must not receive it, if any
 */
public record StreamEntry(String stream, String id, String epoch, String data, @Nullable String excludeUser) {

	/**
	 * Compares two stream ids ({@code millis-sequence}) numerically.
	 * @return negative, zero or positive as {@code a} is before, equal to or after
	 * {@code b}
	 */
	public static int compareIds(String a, String b) {
		int dashA = a.indexOf('-');
		int dashB = b.indexOf('-');
		long msA = Long.parseLong((dashA < 0) ? a : a.substring(0, dashA));
		long msB = Long.parseLong((dashB < 0) ? b : b.substring(0, dashB));
		if (msA != msB) {
			return Long.compare(msA, msB);
		}
		long seqA = (dashA < 0) ? 0 : Long.parseLong(a.substring(dashA + 1));
		long seqB = (dashB < 0) ? 0 : Long.parseLong(b.substring(dashB + 1));
		return Long.compare(seqA, seqB);
	}

}
