package dev.wsinfra.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.wsinfra.config.internal.SeedVariable;
import dev.wsinfra.internal.Ranges;
import org.jspecify.annotations.Nullable;

/**
 * Immutable settings of a WebSocket connection: timeouts, keepalive, size limits and
 * reconnection. Build one with {@link #builder()}, take {@link #defaults()}, or read the
 * seed's {@code WS_*} environment variables with {@link #fromEnv()}.
 * <p>
 * Defaults, each also a {@code DEFAULT_*} constant: open and close timeouts 10 s, a ping
 * every 20 s answered within 20 s, messages up to 1 MiB, 16 unread messages queued,
 * reconnection enabled with 5 attempts and a backoff of
 * {@code min(60 s, 1 s · 2^attempt)} with 10 % jitter.
 * <p>
 * One setting is not in the seed's table: {@link #maxSendQueueSize()}, the number of
 * outgoing messages a client holds before {@code send} refuses more (default 64), read by
 * {@link #fromEnv(Map)} from {@code WS_MAX_SEND_QUEUE_SIZE}.
 *
 * @since 0.1.0
 */
public final class WebSocketConfig {

	/** Default time allowed for the opening handshake: 10 s. */
	public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(10);

	/** Default time allowed for the close handshake: 10 s. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	/** Default keepalive ping interval: 20 s. */
	public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);

	/** Default time a pong may take before the connection is considered dead: 20 s. */
	public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(20);

	/** Default maximum message size: 1 MiB. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** Default maximum number of received messages waiting to be read: 16. */
	public static final int DEFAULT_MAX_QUEUE_SIZE = 16;

	/** Default maximum number of outgoing messages waiting to be written: 64. */
	public static final int DEFAULT_MAX_SEND_QUEUE_SIZE = 64;

	/** Default for reconnection: enabled. */
	public static final boolean DEFAULT_RECONNECT_ENABLED = true;

	/** Default number of failed reconnection attempts in a row before giving up: 5. */
	public static final int DEFAULT_RECONNECT_MAX_ATTEMPTS = 5;

	/** Default base of the exponential backoff: 1 s. */
	public static final Duration DEFAULT_RECONNECT_BACKOFF_BASE = Duration.ofSeconds(1);

	/** Default cap of the exponential backoff: 60 s. */
	public static final Duration DEFAULT_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(60);

	/** Default jitter factor applied to each backoff: 0.1. */
	public static final double DEFAULT_RECONNECT_JITTER = 0.1;

	/**
	 * Environment variable of {@link #maxSendQueueSize()}, a setting the seed does not
	 * have.
	 */
	static final String MAX_SEND_QUEUE_SIZE_VARIABLE = "WS_MAX_SEND_QUEUE_SIZE";

	private static final WebSocketConfig DEFAULTS = builder().build();

	private final Duration openTimeout;

	private final Duration closeTimeout;

	private final @Nullable Duration pingInterval;

	private final Duration pingTimeout;

	private final int maxMessageSize;

	private final int maxQueueSize;

	private final int maxSendQueueSize;

	private final boolean reconnectEnabled;

	private final int reconnectMaxAttempts;

	private final Duration reconnectBackoffBase;

	private final Duration reconnectBackoffMax;

	private final double reconnectJitter;

	private WebSocketConfig(Builder builder) {
		this.openTimeout = builder.openTimeout;
		this.closeTimeout = builder.closeTimeout;
		this.pingInterval = builder.pingInterval;
		this.pingTimeout = builder.pingTimeout;
		this.maxMessageSize = builder.maxMessageSize;
		this.maxQueueSize = builder.maxQueueSize;
		this.maxSendQueueSize = builder.maxSendQueueSize;
		this.reconnectEnabled = builder.reconnectEnabled;
		this.reconnectMaxAttempts = builder.reconnectMaxAttempts;
		this.reconnectBackoffBase = builder.reconnectBackoffBase;
		this.reconnectBackoffMax = builder.reconnectBackoffMax;
		this.reconnectJitter = builder.reconnectJitter;
	}

	/**
	 * Returns a builder initialised with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the configuration with every default (the seed's table).
	 * @return the defaults
	 */
	public static WebSocketConfig defaults() {
		return DEFAULTS;
	}

	/**
	 * Reads the seed's {@code WS_*} variables from the process environment; unset
	 * variables keep their defaults.
	 * @return the configuration
	 * @throws IllegalArgumentException naming the variable and the value when one is
	 * invalid
	 * @see #fromEnv(Map)
	 */
	public static WebSocketConfig fromEnv() {
		return fromEnv(System.getenv());
	}

	/**
	 * Reads the seed's {@code WS_*} variables from the given map, in the seed's value
	 * format: durations in seconds with decimals allowed ({@code WS_OPEN_TIMEOUT=10.0}, a
	 * unit such as {@code 500ms} also works), {@code WS_PING_INTERVAL=None} (or
	 * {@code 0}) to disable keepalive, {@code WS_RECONNECT_MAX_ATTEMPTS=0} for unlimited
	 * attempts, sizes in bytes. Beyond the seed's table, {@code WS_MAX_SEND_QUEUE_SIZE}
	 * sets {@link #maxSendQueueSize()}.
	 * @param env the variables
	 * @return the configuration
	 * @throws IllegalArgumentException naming the variable and the value when one is
	 * invalid
	 */
	public static WebSocketConfig fromEnv(Map<String, String> env) {
		Builder builder = builder();
		for (SeedVariable variable : SeedVariable.values()) {
			String raw = env.get(variable.envName());
			if (raw != null) {
				builder.apply(variable, variable.parse(raw));
			}
		}
		String sendQueue = env.get(MAX_SEND_QUEUE_SIZE_VARIABLE);
		if (sendQueue != null) {
			builder.maxSendQueueSize = parsePositive(MAX_SEND_QUEUE_SIZE_VARIABLE, sendQueue);
		}
		if (builder.reconnectBackoffMax.compareTo(builder.reconnectBackoffBase) < 0) {
			throw new IllegalArgumentException(SeedVariable.RECONNECT_BACKOFF_MAX.envName() + " ("
					+ builder.reconnectBackoffMax + ") must not be less than "
					+ SeedVariable.RECONNECT_BACKOFF_BASE.envName() + " (" + builder.reconnectBackoffBase + ")");
		}
		return builder.build();
	}

	private static int parsePositive(String variable, String raw) {
		int value;
		try {
			value = Integer.parseInt(raw.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid value '" + raw + "' for environment variable " + variable
					+ ": expected a positive integer", ex);
		}
		if (value <= 0) {
			throw new IllegalArgumentException(
					"Invalid value '" + raw + "' for environment variable " + variable + ": must be greater than 0");
		}
		return value;
	}

	/**
	 * Returns a builder initialised with this configuration.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Returns the time allowed for the opening handshake.
	 * @return the open timeout
	 */
	public Duration openTimeout() {
		return this.openTimeout;
	}

	/**
	 * Returns the time allowed for the close handshake.
	 * @return the close timeout
	 */
	public Duration closeTimeout() {
		return this.closeTimeout;
	}

	/**
	 * Returns the keepalive ping interval.
	 * @return the interval, or empty when keepalive pings are disabled
	 */
	public Optional<Duration> pingInterval() {
		return Optional.ofNullable(this.pingInterval);
	}

	/**
	 * Returns how long a pong may take before the connection is considered dead.
	 * @return the ping timeout
	 */
	public Duration pingTimeout() {
		return this.pingTimeout;
	}

	/**
	 * Returns the maximum size of one message, in either direction.
	 * @return the limit in bytes
	 */
	public int maxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * Returns the maximum number of received messages waiting to be read.
	 * @return the queue limit
	 */
	public int maxQueueSize() {
		return this.maxQueueSize;
	}

	/**
	 * Returns the maximum number of outgoing messages that are accepted but not yet
	 * written; a send beyond it is refused. Not a setting of the seed's table.
	 * @return the send queue limit
	 */
	public int maxSendQueueSize() {
		return this.maxSendQueueSize;
	}

	/**
	 * Returns whether a dropped connection is re-established.
	 * @return {@code true} when reconnection is enabled
	 */
	public boolean reconnectEnabled() {
		return this.reconnectEnabled;
	}

	/**
	 * Returns the number of failed attempts in a row after which reconnection gives up.
	 * @return the attempts, 0 meaning unlimited
	 */
	public int reconnectMaxAttempts() {
		return this.reconnectMaxAttempts;
	}

	/**
	 * Returns the base of the exponential backoff.
	 * @return the base delay
	 */
	public Duration reconnectBackoffBase() {
		return this.reconnectBackoffBase;
	}

	/**
	 * Returns the cap of the exponential backoff.
	 * @return the maximum delay
	 */
	public Duration reconnectBackoffMax() {
		return this.reconnectBackoffMax;
	}

	/**
	 * Returns the jitter factor: each delay is varied randomly by up to this fraction.
	 * @return a factor between 0 and 1
	 */
	public double reconnectJitter() {
		return this.reconnectJitter;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof WebSocketConfig that)) {
			return false;
		}
		return this.openTimeout.equals(that.openTimeout) && this.closeTimeout.equals(that.closeTimeout)
				&& Objects.equals(this.pingInterval, that.pingInterval) && this.pingTimeout.equals(that.pingTimeout)
				&& this.maxMessageSize == that.maxMessageSize && this.maxQueueSize == that.maxQueueSize
				&& this.maxSendQueueSize == that.maxSendQueueSize && this.reconnectEnabled == that.reconnectEnabled
				&& this.reconnectMaxAttempts == that.reconnectMaxAttempts
				&& this.reconnectBackoffBase.equals(that.reconnectBackoffBase)
				&& this.reconnectBackoffMax.equals(that.reconnectBackoffMax)
				&& Double.compare(this.reconnectJitter, that.reconnectJitter) == 0;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.openTimeout, this.closeTimeout, this.pingInterval, this.pingTimeout,
				this.maxMessageSize, this.maxQueueSize, this.maxSendQueueSize, this.reconnectEnabled,
				this.reconnectMaxAttempts, this.reconnectBackoffBase, this.reconnectBackoffMax, this.reconnectJitter);
	}

	@Override
	public String toString() {
		return "WebSocketConfig[openTimeout=" + this.openTimeout + ", closeTimeout=" + this.closeTimeout
				+ ", pingInterval=" + ((this.pingInterval != null) ? this.pingInterval : "None") + ", pingTimeout="
				+ this.pingTimeout + ", maxMessageSize=" + this.maxMessageSize + ", maxQueueSize=" + this.maxQueueSize
				+ ", maxSendQueueSize=" + this.maxSendQueueSize + ", reconnectEnabled=" + this.reconnectEnabled
				+ ", reconnectMaxAttempts=" + this.reconnectMaxAttempts + ", reconnectBackoffBase="
				+ this.reconnectBackoffBase + ", reconnectBackoffMax=" + this.reconnectBackoffMax + ", reconnectJitter="
				+ this.reconnectJitter + "]";
	}

	/**
	 * Builder of {@link WebSocketConfig}; starts from the defaults. {@link #build()}
	 * validates every value and names the setting and the bad value when one is wrong.
	 */
	public static final class Builder {

		private Duration openTimeout = DEFAULT_OPEN_TIMEOUT;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private @Nullable Duration pingInterval = DEFAULT_PING_INTERVAL;

		private Duration pingTimeout = DEFAULT_PING_TIMEOUT;

		private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

		private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;

		private int maxSendQueueSize = DEFAULT_MAX_SEND_QUEUE_SIZE;

		private boolean reconnectEnabled = DEFAULT_RECONNECT_ENABLED;

		private int reconnectMaxAttempts = DEFAULT_RECONNECT_MAX_ATTEMPTS;

		private Duration reconnectBackoffBase = DEFAULT_RECONNECT_BACKOFF_BASE;

		private Duration reconnectBackoffMax = DEFAULT_RECONNECT_BACKOFF_MAX;

		private double reconnectJitter = DEFAULT_RECONNECT_JITTER;

		private Builder() {
		}

		private Builder(WebSocketConfig config) {
			this.openTimeout = config.openTimeout;
			this.closeTimeout = config.closeTimeout;
			this.pingInterval = config.pingInterval;
			this.pingTimeout = config.pingTimeout;
			this.maxMessageSize = config.maxMessageSize;
			this.maxQueueSize = config.maxQueueSize;
			this.maxSendQueueSize = config.maxSendQueueSize;
			this.reconnectEnabled = config.reconnectEnabled;
			this.reconnectMaxAttempts = config.reconnectMaxAttempts;
			this.reconnectBackoffBase = config.reconnectBackoffBase;
			this.reconnectBackoffMax = config.reconnectBackoffMax;
			this.reconnectJitter = config.reconnectJitter;
		}

		/**
		 * Sets the time allowed for the opening handshake (default
		 * {@link #DEFAULT_OPEN_TIMEOUT}).
		 * @param openTimeout a positive duration
		 * @return this builder
		 */
		public Builder openTimeout(Duration openTimeout) {
			this.openTimeout = openTimeout;
			return this;
		}

		/**
		 * Sets the time allowed for the close handshake (default
		 * {@link #DEFAULT_CLOSE_TIMEOUT}).
		 * @param closeTimeout a positive duration
		 * @return this builder
		 */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		/**
		 * Sets the keepalive ping interval (default {@link #DEFAULT_PING_INTERVAL}).
		 * @param pingInterval a positive duration, or {@code null} or zero to disable
		 * pings
		 * @return this builder
		 */
		public Builder pingInterval(@Nullable Duration pingInterval) {
			this.pingInterval = (pingInterval == null || pingInterval.isZero()) ? null : pingInterval;
			return this;
		}

		/**
		 * Sets how long a pong may take (default {@link #DEFAULT_PING_TIMEOUT}).
		 * @param pingTimeout a positive duration
		 * @return this builder
		 */
		public Builder pingTimeout(Duration pingTimeout) {
			this.pingTimeout = pingTimeout;
			return this;
		}

		/**
		 * Sets the maximum message size (default {@link #DEFAULT_MAX_MESSAGE_SIZE}).
		 * @param maxMessageSize a positive number of bytes
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * Sets the maximum number of unread received messages (default
		 * {@link #DEFAULT_MAX_QUEUE_SIZE}).
		 * @param maxQueueSize a positive number
		 * @return this builder
		 */
		public Builder maxQueueSize(int maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
			return this;
		}

		/**
		 * Sets the maximum number of outgoing messages accepted but not yet written
		 * (default {@link #DEFAULT_MAX_SEND_QUEUE_SIZE}); a send beyond it is refused.
		 * @param maxSendQueueSize a positive number
		 * @return this builder
		 */
		public Builder maxSendQueueSize(int maxSendQueueSize) {
			this.maxSendQueueSize = maxSendQueueSize;
			return this;
		}

		/**
		 * Sets whether a dropped connection is re-established (default
		 * {@link #DEFAULT_RECONNECT_ENABLED}).
		 * @param reconnectEnabled whether to reconnect
		 * @return this builder
		 */
		public Builder reconnectEnabled(boolean reconnectEnabled) {
			this.reconnectEnabled = reconnectEnabled;
			return this;
		}

		/**
		 * Sets the failed attempts in a row before giving up (default
		 * {@link #DEFAULT_RECONNECT_MAX_ATTEMPTS}).
		 * @param reconnectMaxAttempts 0 for unlimited, or a positive number
		 * @return this builder
		 */
		public Builder reconnectMaxAttempts(int reconnectMaxAttempts) {
			this.reconnectMaxAttempts = reconnectMaxAttempts;
			return this;
		}

		/**
		 * Sets the base of the exponential backoff (default
		 * {@link #DEFAULT_RECONNECT_BACKOFF_BASE}).
		 * @param reconnectBackoffBase a positive duration
		 * @return this builder
		 */
		public Builder reconnectBackoffBase(Duration reconnectBackoffBase) {
			this.reconnectBackoffBase = reconnectBackoffBase;
			return this;
		}

		/**
		 * Sets the cap of the exponential backoff (default
		 * {@link #DEFAULT_RECONNECT_BACKOFF_MAX}).
		 * @param reconnectBackoffMax a positive duration, not less than the base
		 * @return this builder
		 */
		public Builder reconnectBackoffMax(Duration reconnectBackoffMax) {
			this.reconnectBackoffMax = reconnectBackoffMax;
			return this;
		}

		/**
		 * Sets the jitter factor (default {@link #DEFAULT_RECONNECT_JITTER}).
		 * @param reconnectJitter a factor between 0 and 1
		 * @return this builder
		 */
		public Builder reconnectJitter(double reconnectJitter) {
			this.reconnectJitter = reconnectJitter;
			return this;
		}

		/**
		 * Validates the settings and builds the configuration.
		 * @return the configuration
		 * @throws IllegalArgumentException naming the setting and the value when one is
		 * invalid
		 */
		public WebSocketConfig build() {
			check(SeedVariable.OPEN_TIMEOUT, this.openTimeout);
			check(SeedVariable.CLOSE_TIMEOUT, this.closeTimeout);
			check(SeedVariable.PING_INTERVAL, this.pingInterval);
			check(SeedVariable.PING_TIMEOUT, this.pingTimeout);
			check(SeedVariable.MAX_MESSAGE_SIZE, this.maxMessageSize);
			check(SeedVariable.MAX_QUEUE_SIZE, this.maxQueueSize);
			Ranges.requirePositive("maxSendQueueSize", this.maxSendQueueSize);
			check(SeedVariable.RECONNECT_MAX_ATTEMPTS, this.reconnectMaxAttempts);
			check(SeedVariable.RECONNECT_BACKOFF_BASE, this.reconnectBackoffBase);
			check(SeedVariable.RECONNECT_BACKOFF_MAX, this.reconnectBackoffMax);
			check(SeedVariable.RECONNECT_JITTER, this.reconnectJitter);
			if (this.reconnectBackoffMax.compareTo(this.reconnectBackoffBase) < 0) {
				throw new IllegalArgumentException("reconnectBackoffMax must not be less than reconnectBackoffBase ("
						+ this.reconnectBackoffBase + "), was " + this.reconnectBackoffMax);
			}
			return new WebSocketConfig(this);
		}

		private static void check(SeedVariable variable, @Nullable Object value) {
			String problem = variable.check(value);
			if (problem != null) {
				throw new IllegalArgumentException(variable.fieldName() + " " + problem + ", was " + value);
			}
		}

		void apply(SeedVariable variable, @Nullable Object value) {
			switch (variable) {
				case OPEN_TIMEOUT -> this.openTimeout = (Duration) Objects.requireNonNull(value);
				case CLOSE_TIMEOUT -> this.closeTimeout = (Duration) Objects.requireNonNull(value);
				case PING_INTERVAL -> this.pingInterval = (Duration) value;
				case PING_TIMEOUT -> this.pingTimeout = (Duration) Objects.requireNonNull(value);
				case MAX_MESSAGE_SIZE -> this.maxMessageSize = (Integer) Objects.requireNonNull(value);
				case MAX_QUEUE_SIZE -> this.maxQueueSize = (Integer) Objects.requireNonNull(value);
				case RECONNECT_ENABLED -> this.reconnectEnabled = (Boolean) Objects.requireNonNull(value);
				case RECONNECT_MAX_ATTEMPTS -> this.reconnectMaxAttempts = (Integer) Objects.requireNonNull(value);
				case RECONNECT_BACKOFF_BASE -> this.reconnectBackoffBase = (Duration) Objects.requireNonNull(value);
				case RECONNECT_BACKOFF_MAX -> this.reconnectBackoffMax = (Duration) Objects.requireNonNull(value);
				case RECONNECT_JITTER -> this.reconnectJitter = (Double) Objects.requireNonNull(value);
			}
		}

	}

}
