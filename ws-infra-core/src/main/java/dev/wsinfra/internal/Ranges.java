package dev.wsinfra.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Range checks of settings, each failing with a message that names the setting and the
 * bad value, such as "writerThreads must be greater than 0, was 0".
 */
public final class Ranges {

	private Ranges() {
	}

	/**
	 * Requires a number greater than 0.
	 * @param name the setting
	 * @param value its value
	 * @throws IllegalArgumentException when the value is 0 or less
	 */
	public static void requirePositive(String name, long value) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + " must be greater than 0, was " + value);
		}
	}

	/**
	 * Requires 0, which means what is given, or a positive number.
	 * @param name the setting
	 * @param value its value
	 * @param zeroMeans what 0 means, such as "unlimited"
	 * @throws IllegalArgumentException when the value is negative
	 */
	public static void requireZeroOrMore(String name, long value, String zeroMeans) {
		if (value < 0) {
			throw new IllegalArgumentException(name + " must be 0 (" + zeroMeans + ") or more, was " + value);
		}
	}

	/**
	 * Requires a positive duration.
	 * @param name the setting
	 * @param value its value
	 * @throws IllegalArgumentException when the value is missing, zero or negative
	 */
	public static void requirePositive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
		}
	}

	/**
	 * Requires {@link Duration#ZERO}, which means what is given, or a positive duration.
	 * @param name the setting
	 * @param value its value
	 * @param zeroMeans what zero means, such as "no limit"
	 * @throws IllegalArgumentException when the value is missing or negative
	 */
	public static void requireZeroOrPositive(String name, @Nullable Duration value, String zeroMeans) {
		if (value == null || value.isNegative()) {
			throw new IllegalArgumentException(
					name + " must be 0 (" + zeroMeans + ") or a positive duration, was " + value);
		}
	}

	/**
	 * Requires a duration of at least a minimum.
	 * @param name the setting
	 * @param value its value
	 * @param minimum the shortest allowed
	 * @throws IllegalArgumentException when the value is missing or shorter
	 */
	public static void requireAtLeast(String name, @Nullable Duration value, Duration minimum) {
		if (value == null || value.compareTo(minimum) < 0) {
			throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
		}
	}

}
