package dev.wsinfra.client.internal;

import java.nio.ByteBuffer;

/**
 * Checks UTF-8 as it arrives, a byte at a time, so that a message is refused at its first
 * invalid byte rather than at its end (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF). A sequence may span pieces and frames. Not thread-safe.
 */
final class Utf8Validator {

	// Continuation bytes still expected, and the range the next one must fall in.
	private int needed;

	private int lower = 0x80;

	private int upper = 0xBF;

	/**
	 * Forgets any sequence in progress, for a new message.
	 */
	void reset() {
		this.needed = 0;
		this.lower = 0x80;
		this.upper = 0xBF;
	}

	/**
	 * Checks the bytes from {@code from} to {@code to} (exclusive).
	 * @param data the bytes; its position is not changed
	 * @param from the index of the first byte
	 * @param to the index after the last byte
	 * @return {@code true} while every byte so far is valid
	 */
	boolean accept(ByteBuffer data, int from, int to) {
		for (int i = from; i < to; i++) {
			if (!accept(data.get(i) & 0xFF)) {
				return false;
			}
		}
		return true;
	}

	private boolean accept(int b) {
		if (this.needed > 0) {
			if (b < this.lower || b > this.upper) {
				return false;
			}
			this.needed--;
			this.lower = 0x80;
			this.upper = 0xBF;
			return true;
		}
		if (b < 0x80) {
			return true;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			return start(1, 0x80, 0xBF);
		}
		if (b >= 0xE0 && b <= 0xEF) {
			// E0 would start an overlong form below A0, ED a surrogate above 9F
			return start(2, (b == 0xE0) ? 0xA0 : 0x80, (b == 0xED) ? 0x9F : 0xBF);
		}
		if (b >= 0xF0 && b <= 0xF4) {
			// F0 would start an overlong form below 90, F4 a code point above U+10FFFF
			return start(3, (b == 0xF0) ? 0x90 : 0x80, (b == 0xF4) ? 0x8F : 0xBF);
		}
		return false;
	}

	private boolean start(int continuations, int firstLower, int firstUpper) {
		this.needed = continuations;
		this.lower = firstLower;
		this.upper = firstUpper;
		return true;
	}

	/**
	 * Returns whether the bytes so far end on a whole character, as a message must.
	 * @return {@code false} inside a sequence
	 */
	boolean isComplete() {
		return this.needed == 0;
	}

}
