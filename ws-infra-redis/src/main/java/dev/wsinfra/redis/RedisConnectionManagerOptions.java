package dev.wsinfra.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import dev.wsinfra.internal.Ranges;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options of a {@link RedisConnectionManager}: the key prefix, the instance id,
 * presence timing, the command timeout and stream capping.
 *
 * @since 0.1.0
 */
public final class RedisConnectionManagerOptions {

	/** Default prefix of every key and channel: {@code ws:}. */
	public static final String DEFAULT_KEY_PREFIX = "ws:";

	/** Default presence TTL: 60 s. */
	public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(60);

	/** Default grace period before a leave: none. */
	public static final Duration DEFAULT_PRESENCE_GRACE_PERIOD = Duration.ZERO;

	/** Default wait for a Redis reply: 2 s. */
	public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/** Default maximum entries per stream: 10,000. */
	public static final int DEFAULT_STREAM_MAX_LENGTH = 10_000;

	/** Default stream TTL: none, streams are only capped. */
	public static final Duration DEFAULT_STREAM_TTL = Duration.ZERO;

	/**
	 * Default maximum number of messages from Redis waiting for local delivery: 100,000.
	 */
	public static final int DEFAULT_INBOUND_QUEUE_LIMIT = 100_000;

	/** Default maximum number of streams one recovery request reads: 16. */
	public static final int DEFAULT_MAX_RECOVERY_POSITIONS = 16;

	private static final Duration MINIMUM_PRESENCE_TTL = Duration.ofMillis(300);

	private final String keyPrefix;

	private final String instanceId;

	private final Duration presenceTtl;

	private final Duration presenceGracePeriod;

	private final Duration commandTimeout;

	private final int streamMaxLength;

	private final Duration streamTtl;

	private final int maxRecoveryPositions;

	private final int inboundQueueLimit;

	private RedisConnectionManagerOptions(Builder builder, String instanceId) {
		this.keyPrefix = builder.keyPrefix;
		this.instanceId = instanceId;
		this.presenceTtl = builder.presenceTtl;
		this.presenceGracePeriod = builder.presenceGracePeriod;
		this.commandTimeout = builder.commandTimeout;
		this.streamMaxLength = builder.streamMaxLength;
		this.streamTtl = builder.streamTtl;
		this.maxRecoveryPositions = builder.maxRecoveryPositions;
		this.inboundQueueLimit = builder.inboundQueueLimit;
	}

	/**
	 * Returns a builder initialised with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the default options, with a generated instance id.
	 * @return the defaults
	 */
	public static RedisConnectionManagerOptions defaults() {
		return builder().build();
	}

	/**
	 * Returns the prefix of every key and channel.
	 * @return the prefix
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * Returns the id of this instance, unique in the cluster.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.instanceId;
	}

	/**
	 * Returns how long presence survives without a heartbeat; an instance that dies
	 * without cleanup drops out of presence and rooms within it.
	 * @return the presence TTL
	 */
	public Duration presenceTtl() {
		return this.presenceTtl;
	}

	/**
	 * Returns how often the instance refreshes its liveness and presence: a third of the
	 * TTL.
	 * @return the heartbeat interval
	 */
	public Duration heartbeatInterval() {
		return this.presenceTtl.dividedBy(3);
	}

	/**
	 * Returns how long a user whose last connection closed still counts as online.
	 * @return the grace period, zero for none
	 */
	public Duration presenceGracePeriod() {
		return this.presenceGracePeriod;
	}

	/**
	 * Returns how long the manager waits for a Redis reply before it treats Redis as
	 * unavailable.
	 * @return the command timeout
	 */
	public Duration commandTimeout() {
		return this.commandTimeout;
	}

	/**
	 * Returns the maximum number of entries a stream keeps.
	 * @return the maximum length
	 */
	public int streamMaxLength() {
		return this.streamMaxLength;
	}

	/**
	 * Returns how long a stream lives after its last append.
	 * @return the TTL, zero for none
	 */
	public Duration streamTtl() {
		return this.streamTtl;
	}

	/**
	 * Returns how many streams one recovery request (the positions of a handshake, or of
	 * one {@code recover} call) reads at most; a position for a further stream is
	 * answered {@code recovered: false} without reading Redis.
	 * @return the maximum number of positions
	 */
	public int maxRecoveryPositions() {
		return this.maxRecoveryPositions;
	}

	/**
	 * Returns how many messages from Redis may wait for local delivery. Past it the
	 * instance drops them, counts them, and repairs what it can from Redis: rooms, and
	 * persistent streams after each connection's position.
	 * @return the limit
	 */
	public int inboundQueueLimit() {
		return this.inboundQueueLimit;
	}

	@Override
	public String toString() {
		return "RedisConnectionManagerOptions[keyPrefix=" + this.keyPrefix + ", instanceId=" + this.instanceId
				+ ", presenceTtl=" + this.presenceTtl + ", presenceGracePeriod=" + this.presenceGracePeriod
				+ ", commandTimeout=" + this.commandTimeout + ", streamMaxLength=" + this.streamMaxLength
				+ ", streamTtl=" + this.streamTtl + ", maxRecoveryPositions=" + this.maxRecoveryPositions
				+ ", inboundQueueLimit=" + this.inboundQueueLimit + "]";
	}

	private static String generateInstanceId() {
		// HOSTNAME first: a container's name, and no DNS lookup that may hang.
		String host = System.getenv("HOSTNAME");
		if (host == null || host.isBlank()) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException | SecurityException ex) {
				host = "instance";
			}
		}
		return host.replace(':', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Builder of {@link RedisConnectionManagerOptions}; starts from the defaults.
	 */
	public static final class Builder {

		private String keyPrefix = DEFAULT_KEY_PREFIX;

		private @Nullable String instanceId;

		private Duration presenceTtl = DEFAULT_PRESENCE_TTL;

		private Duration presenceGracePeriod = DEFAULT_PRESENCE_GRACE_PERIOD;

		private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;

		private int streamMaxLength = DEFAULT_STREAM_MAX_LENGTH;

		private Duration streamTtl = DEFAULT_STREAM_TTL;

		private int maxRecoveryPositions = DEFAULT_MAX_RECOVERY_POSITIONS;

		private int inboundQueueLimit = DEFAULT_INBOUND_QUEUE_LIMIT;

		private Builder() {
		}

		/**
		 * Sets the prefix of every key and channel (default {@link #DEFAULT_KEY_PREFIX}).
		 * @param keyPrefix the prefix; use a hash tag such as {@code {ws}:} on Redis
		 * Cluster
		 * @return this builder
		 */
		public Builder keyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
			return this;
		}

		/**
		 * Sets the id of this instance (default: host name and a random suffix).
		 * @param instanceId an id unique in the cluster, or {@code null} to generate one
		 * @return this builder
		 */
		public Builder instanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
			return this;
		}

		/**
		 * Sets the presence TTL (default {@link #DEFAULT_PRESENCE_TTL}).
		 * @param presenceTtl at least 300 ms
		 * @return this builder
		 */
		public Builder presenceTtl(Duration presenceTtl) {
			this.presenceTtl = presenceTtl;
			return this;
		}

		/**
		 * Sets the grace period before a leave (default
		 * {@link #DEFAULT_PRESENCE_GRACE_PERIOD}).
		 * @param presenceGracePeriod zero for none, or a positive duration
		 * @return this builder
		 */
		public Builder presenceGracePeriod(Duration presenceGracePeriod) {
			this.presenceGracePeriod = presenceGracePeriod;
			return this;
		}

		/**
		 * Sets the wait for a Redis reply (default {@link #DEFAULT_COMMAND_TIMEOUT}).
		 * @param commandTimeout a positive duration
		 * @return this builder
		 */
		public Builder commandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
			return this;
		}

		/**
		 * Sets the maximum entries per stream (default
		 * {@link #DEFAULT_STREAM_MAX_LENGTH}).
		 * @param streamMaxLength a positive number
		 * @return this builder
		 */
		public Builder streamMaxLength(int streamMaxLength) {
			this.streamMaxLength = streamMaxLength;
			return this;
		}

		/**
		 * Sets how long a stream lives after its last append (default
		 * {@link #DEFAULT_STREAM_TTL}).
		 * @param streamTtl zero for none, or a positive duration
		 * @return this builder
		 */
		public Builder streamTtl(Duration streamTtl) {
			this.streamTtl = streamTtl;
			return this;
		}

		/**
		 * Sets how many streams one recovery request reads at most (default
		 * {@link #DEFAULT_MAX_RECOVERY_POSITIONS}).
		 * @param maxRecoveryPositions a positive number
		 * @return this builder
		 */
		public Builder maxRecoveryPositions(int maxRecoveryPositions) {
			this.maxRecoveryPositions = maxRecoveryPositions;
			return this;
		}

		/**
		 * Sets how many messages from Redis may wait for local delivery (default
		 * {@link #DEFAULT_INBOUND_QUEUE_LIMIT}).
		 * @param inboundQueueLimit a positive number
		 * @return this builder
		 */
		public Builder inboundQueueLimit(int inboundQueueLimit) {
			this.inboundQueueLimit = inboundQueueLimit;
			return this;
		}

		/**
		 * Validates the options and builds them.
		 * @return the options
		 * @throws IllegalArgumentException naming the option and the value when one is
		 * invalid
		 */
		public RedisConnectionManagerOptions build() {
			Objects.requireNonNull(this.keyPrefix, "keyPrefix must not be null");
			if (this.instanceId != null && (this.instanceId.isBlank() || this.instanceId.contains(":"))) {
				throw new IllegalArgumentException(
						"instanceId must not be blank nor contain ':', was '" + this.instanceId + "'");
			}
			Ranges.requireAtLeast("presenceTtl", this.presenceTtl, MINIMUM_PRESENCE_TTL);
			Ranges.requireZeroOrPositive("presenceGracePeriod", this.presenceGracePeriod, "none");
			Ranges.requireAtLeast("commandTimeout", this.commandTimeout, Duration.ofMillis(1));
			Ranges.requirePositive("streamMaxLength", this.streamMaxLength);
			Ranges.requireZeroOrPositive("streamTtl", this.streamTtl, "no expiry");
			Ranges.requirePositive("maxRecoveryPositions", this.maxRecoveryPositions);
			Ranges.requirePositive("inboundQueueLimit", this.inboundQueueLimit);
			String id = (this.instanceId != null) ? this.instanceId : generateInstanceId();
			return new RedisConnectionManagerOptions(this, id);
		}

	}

}
