package dev.wsinfra.internal;

import org.jspecify.annotations.Nullable;

/**
 * Makes values that a client controls safe to put into a log line: user ids, room names,
 * close reasons, paths. A control character would let a client forge a line (a newline),
 * rewrite a terminal (an escape sequence) or reorder what a reader sees (a bidi
 * override), so each one is written as a {@code \}{@code uXXXX} escape, and a backslash
 * as two, so that an escaped value cannot be mistaken for another. A value longer than
 * {@link #MAX_LENGTH} characters is cut, so that one client cannot fill the log with a
 * single line.
 */
public final class LogValues {

	/** The most characters of one value that reach a log line. */
	public static final int MAX_LENGTH = 256;

	private LogValues() {
	}

	/**
	 * Returns the value as it may appear in a log line.
	 * @param value what a client sent or chose, or {@code null}
	 * @return the value with control characters escaped, cut to {@link #MAX_LENGTH}
	 * characters with a note of how many were left out; {@code "null"} for {@code null}
	 */
	public static String escape(@Nullable Object value) {
		String text = String.valueOf(value);
		int length = Math.min(text.length(), MAX_LENGTH);
		int first = firstUnsafe(text, length);
		if (first == length && text.length() <= MAX_LENGTH) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(length + 16).append(text, 0, first);
		for (int i = first; i < length; i++) {
			char c = text.charAt(i);
			if (c == '\\') {
				escaped.append("\\\\");
			}
			else if (isUnsafe(c)) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		if (text.length() > MAX_LENGTH) {
			escaped.append("...(").append(text.length() - MAX_LENGTH).append(" more)");
		}
		return escaped.toString();
	}

	private static int firstUnsafe(String text, int length) {
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c == '\\' || isUnsafe(c)) {
				return i;
			}
		}
		return length;
	}

	// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi
	// controls that would make a line read other than it is written.
	private static boolean isUnsafe(char c) {
		return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
				|| c == '\u200e' || c == '\u200f';
	}

}
