package dev.wsinfra.config.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The eleven {@code WS_*} environment variables of the seed, with the property each maps
 * to and the parser for the seed's value format ({@code 10.0} seconds, {@code None},
 * {@code 0} for unlimited attempts).
 */
public enum SeedVariable {

	OPEN_TIMEOUT("WS_OPEN_TIMEOUT", "ws.open-timeout", "openTimeout", Kind.DURATION),

	CLOSE_TIMEOUT("WS_CLOSE_TIMEOUT", "ws.close-timeout", "closeTimeout", Kind.DURATION),

	PING_INTERVAL("WS_PING_INTERVAL", "ws.ping-interval", "pingInterval", Kind.OPTIONAL_DURATION),

	PING_TIMEOUT("WS_PING_TIMEOUT", "ws.ping-timeout", "pingTimeout", Kind.DURATION),

	MAX_MESSAGE_SIZE("WS_MAX_MESSAGE_SIZE", "ws.max-message-size", "maxMessageSize", Kind.SIZE),

	MAX_QUEUE_SIZE("WS_MAX_QUEUE_SIZE", "ws.max-queue-size", "maxQueueSize", Kind.POSITIVE_COUNT),

	RECONNECT_ENABLED("WS_RECONNECT_ENABLED", "ws.reconnect.enabled", "reconnectEnabled", Kind.BOOLEAN),

	RECONNECT_MAX_ATTEMPTS("WS_RECONNECT_MAX_ATTEMPTS", "ws.reconnect.max-attempts", "reconnectMaxAttempts",
			Kind.COUNT),

	RECONNECT_BACKOFF_BASE("WS_RECONNECT_BACKOFF_BASE", "ws.reconnect.backoff-base", "reconnectBackoffBase",
			Kind.DURATION),

	RECONNECT_BACKOFF_MAX("WS_RECONNECT_BACKOFF_MAX", "ws.reconnect.backoff-max", "reconnectBackoffMax", Kind.DURATION),

	RECONNECT_JITTER("WS_RECONNECT_JITTER", "ws.reconnect.jitter", "reconnectJitter", Kind.FRACTION);

	/** The value types of the seed's table. */
	public enum Kind {

		/**
		 * Seconds, decimals allowed ({@code 10.0}); a suffix ({@code 500ms}) also works.
		 */
		DURATION,

		/** As {@link #DURATION}, or {@code None} or {@code 0} to disable. */
		OPTIONAL_DURATION,

		/** Bytes, a positive integer; a unit suffix ({@code 16MB}) also works. */
		SIZE,

		/** A positive integer. */
		POSITIVE_COUNT,

		/** A non-negative integer, 0 meaning unlimited. */
		COUNT,

		/**
		 * {@code true} or {@code false} (also {@code 1/0}, {@code yes/no},
		 * {@code on/off}).
		 */
		BOOLEAN,

		/** A number between 0 and 1. */
		FRACTION

	}

	private static final Pattern DURATION_WITH_UNIT = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|ms|s|m|h|d)$");

	private static final Pattern SIZE_WITH_UNIT = Pattern.compile("^([0-9]+)\\s*(B|KB|MB|GB|KIB|MIB|GIB)$");

	private final String envName;

	private final String propertyName;

	private final String fieldName;

	private final Kind kind;

	SeedVariable(String envName, String propertyName, String fieldName, Kind kind) {
		this.envName = envName;
		this.propertyName = propertyName;
		this.fieldName = fieldName;
		this.kind = kind;
	}

	/**
	 * Returns the exact environment variable name of the seed.
	 * @return e.g. {@code WS_OPEN_TIMEOUT}
	 */
	public String envName() {
		return this.envName;
	}

	/**
	 * Returns the Spring property the variable binds to.
	 * @return e.g. {@code ws.open-timeout}
	 */
	public String propertyName() {
		return this.propertyName;
	}

	/**
	 * Returns the name of the {@code WebSocketConfig} field.
	 * @return e.g. {@code openTimeout}
	 */
	public String fieldName() {
		return this.fieldName;
	}

	/**
	 * Parses a raw value in the seed's format.
	 * @param raw the value as written in the environment
	 * @return a {@link Duration} (or {@code null} for {@code None}), {@link Integer},
	 * {@link Boolean} or {@link Double}, depending on the kind
	 * @throws IllegalArgumentException naming the variable and the value when it is
	 * invalid
	 */
	public @Nullable Object parse(String raw) {
		String value = raw.trim();
		Object parsed;
		try {
			parsed = switch (this.kind) {
				case DURATION -> parseDuration(value);
				case OPTIONAL_DURATION -> isNone(value) ? null : disabledWhenZero(parseDuration(value));
				case SIZE -> parseSize(value);
				case POSITIVE_COUNT, COUNT -> Integer.valueOf(value);
				case BOOLEAN -> parseBoolean(value);
				case FRACTION -> Double.valueOf(value);
			};
		}
		catch (RuntimeException ex) {
			throw invalid(raw, expected(), ex);
		}
		String problem = check(parsed);
		if (problem != null) {
			throw invalid(raw, problem, null);
		}
		return parsed;
	}

	private IllegalArgumentException invalid(String raw, String detail, @Nullable Throwable cause) {
		return new IllegalArgumentException(
				"Invalid value '" + raw + "' for environment variable " + this.envName + ": " + detail, cause);
	}

	/**
	 * Converts a raw seed value to the form Spring Boot's binder understands, for example
	 * {@code 10.0} to {@code PT10S} and {@code None} to {@code 0}. A value that cannot be
	 * parsed is returned unchanged, so that the binder reports it against the property.
	 * @param raw the value as written in the environment
	 * @return the value to bind
	 */
	public String toPropertyValue(String raw) {
		Object parsed;
		try {
			parsed = parse(raw);
		}
		catch (IllegalArgumentException ex) {
			return raw;
		}
		if (parsed == null) {
			return "0";
		}
		return (parsed instanceof Duration duration) ? duration.toString() : parsed.toString();
	}

	/**
	 * Validates a typed value, as {@code WebSocketConfig.Builder#build()} does.
	 * @param value the value
	 * @return a description of what is wrong, or {@code null} when the value is valid
	 */
	public @Nullable String check(@Nullable Object value) {
		if (value == null) {
			return (this.kind == Kind.OPTIONAL_DURATION) ? null : "must be set";
		}
		return switch (this.kind) {
			case DURATION, OPTIONAL_DURATION ->
				(((Duration) value).isNegative() || ((Duration) value).isZero()) ? "must be a positive duration" : null;
			case SIZE, POSITIVE_COUNT -> (((Number) value).longValue() <= 0) ? "must be greater than 0" : null;
			case COUNT -> (((Number) value).longValue() < 0) ? "must be 0 (unlimited) or more" : null;
			case FRACTION -> (((Number) value).doubleValue() < 0 || ((Number) value).doubleValue() > 1
					|| Double.isNaN(((Number) value).doubleValue())) ? "must be between 0 and 1" : null;
			case BOOLEAN -> null;
		};
	}

	private String expected() {
		return switch (this.kind) {
			case DURATION -> "expected seconds such as 10.0";
			case OPTIONAL_DURATION -> "expected seconds such as 20.0, or None or 0 to disable";
			case SIZE -> "expected a size in bytes such as 1048576";
			case POSITIVE_COUNT -> "expected a positive integer";
			case COUNT -> "expected an integer, 0 for unlimited";
			case BOOLEAN -> "expected true or false";
			case FRACTION -> "expected a number between 0 and 1";
		};
	}

	static boolean isNone(String value) {
		return value.equalsIgnoreCase("none") || value.equalsIgnoreCase("null") || value.isEmpty();
	}

	// The seed and the documentation both disable an optional duration with 0.
	private static @Nullable Duration disabledWhenZero(Duration duration) {
		return duration.isZero() ? null : duration;
	}

	static Duration parseDuration(String value) {
		if (value.startsWith("P") || value.startsWith("p")) {
			return Duration.parse(value);
		}
		Matcher matcher = DURATION_WITH_UNIT.matcher(value.toLowerCase(Locale.ROOT));
		if (matcher.matches()) {
			BigDecimal amount = new BigDecimal(matcher.group(1));
			long nanosPerUnit = switch (matcher.group(2)) {
				case "ns" -> 1L;
				case "us" -> 1_000L;
				case "ms" -> 1_000_000L;
				case "s" -> 1_000_000_000L;
				case "m" -> 60_000_000_000L;
				case "h" -> 3_600_000_000_000L;
				default -> 86_400_000_000_000L;
			};
			return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
		}
		BigDecimal seconds = new BigDecimal(value);
		return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
	}

	static Integer parseSize(String value) {
		Matcher matcher = SIZE_WITH_UNIT.matcher(value.toUpperCase(Locale.ROOT));
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			long multiplier = switch (matcher.group(2)) {
				case "B" -> 1L;
				case "KB", "KIB" -> 1024L;
				case "MB", "MIB" -> 1024L * 1024;
				default -> 1024L * 1024 * 1024;
			};
			return Math.toIntExact(amount * multiplier);
		}
		return Integer.valueOf(value);
	}

	static Boolean parseBoolean(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "true", "1", "yes", "on" -> Boolean.TRUE;
			case "false", "0", "no", "off" -> Boolean.FALSE;
			default -> throw new IllegalArgumentException();
		};
	}

}
