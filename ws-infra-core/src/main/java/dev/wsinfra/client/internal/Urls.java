package dev.wsinfra.client.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * What the client says about URLs and reads from HTTP headers.
 */
public final class Urls {

	private Urls() {
	}

	/**
	 * Renders a URL for messages and logs without its query and user info, which may
	 * carry credentials ({@code ?token=…}).
	 * @param uri the URL
	 * @return scheme, host, port and path
	 */
	public static String redact(URI uri) {
		StringBuilder text = new StringBuilder();
		text.append(uri.getScheme()).append("://").append(uri.getHost());
		if (uri.getPort() != -1) {
			text.append(':').append(uri.getPort());
		}
		String path = uri.getRawPath();
		text.append((path != null) ? path : "");
		return text.toString();
	}

	/**
	 * Parses a {@code Retry-After} value: seconds, or an HTTP date.
	 * @param value the header value, if any
	 * @param now the current instant, for a date
	 * @return the wait, zero for a date in the past, or {@code null} when absent or
	 * unreadable
	 */
	public static @Nullable Duration parseRetryAfter(@Nullable String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			long seconds = Long.parseLong(trimmed);
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				Duration wait = Duration.between(now, at);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	/**
	 * Formats a duration as seconds for messages, such as {@code 0.25 s}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
	}

}
