package dev.wsinfra.server;

import java.time.Duration;
import java.util.Objects;

import dev.wsinfra.internal.Ranges;

/**
 * Immutable settings of a {@link ConnectionManager}: the outbound queue per connection,
 * what happens when it overflows, the per-user connection limit, the close timeout, who
 * may join which room and whether rooms hear of joins and leaves.
 * <p>
 * The outbound queue of a connection is bounded three ways: by message count, by bytes
 * and by the time its oldest message has waited. Whichever is exceeded first applies the
 * {@link SlowConsumerPolicy}. The byte budget is what bounds memory: a connection whose
 * peer stops reading pins at most {@link #outboundQueueBytes()} (or one message, when a
 * single message is larger) plus the message being written; the delay bounds how long a
 * slow reader may keep a backlog.
 *
 * @since 0.1.0
 */
public final class ConnectionManagerSettings {

	/** Default maximum of messages queued for one connection: 1024. */
	public static final int DEFAULT_OUTBOUND_QUEUE_LIMIT = 1024;

	/**
	 * Default byte budget of a connection's outbound queue: 1 MiB, as much as one message
	 * of the default maximum message size, and the default client queue of Centrifugo. A
	 * peer that reads fast enough never comes near it; one that does not pins no more
	 * than this, plus the message being written, so 1,000 stalled peers cost about 2 GiB
	 * at worst instead of 1 GiB each.
	 */
	public static final long DEFAULT_OUTBOUND_QUEUE_BYTES = 1024 * 1024;

	/**
	 * Default longest time a message may wait in a connection's outbound queue: 30 s,
	 * three times the default write timeout, enough for a slow mobile link to take a full
	 * budget.
	 */
	public static final Duration DEFAULT_OUTBOUND_MAX_DELAY = Duration.ofSeconds(30);

	/** Default policy for a full queue: close with 1013. */
	public static final SlowConsumerPolicy DEFAULT_SLOW_CONSUMER_POLICY = SlowConsumerPolicy.CLOSE;

	/** Default maximum of connections per user: 0, unlimited. */
	public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 0;

	/** Default time a close may take before the connection is dropped: 10 s. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	/** Default number of writer threads: the number of processors, at least 2. */
	public static final int DEFAULT_WRITER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

	/**
	 * Default time a blocking write may take before its connection counts as stalled: 500
	 * ms.
	 */
	public static final Duration DEFAULT_WRITE_STALL_THRESHOLD = Duration.ofMillis(500);

	/** Default room authorizer: {@link RoomAuthorizer#ALLOW_ALL}. */
	public static final RoomAuthorizer DEFAULT_ROOM_AUTHORIZER = RoomAuthorizer.ALLOW_ALL;

	/** Default for room notices: off. */
	public static final boolean DEFAULT_ROOM_NOTICES = false;

	private static final ConnectionManagerSettings DEFAULTS = builder().build();

	private final int outboundQueueLimit;

	private final long outboundQueueBytes;

	private final Duration outboundMaxDelay;

	private final SlowConsumerPolicy slowConsumerPolicy;

	private final int maxConnectionsPerUser;

	private final Duration closeTimeout;

	private final int writerThreads;

	private final Duration writeStallThreshold;

	private final RoomAuthorizer roomAuthorizer;

	private final boolean roomNotices;

	private ConnectionManagerSettings(Builder builder) {
		this.outboundQueueLimit = builder.outboundQueueLimit;
		this.outboundQueueBytes = builder.outboundQueueBytes;
		this.outboundMaxDelay = builder.outboundMaxDelay;
		this.slowConsumerPolicy = builder.slowConsumerPolicy;
		this.maxConnectionsPerUser = builder.maxConnectionsPerUser;
		this.closeTimeout = builder.closeTimeout;
		this.writerThreads = builder.writerThreads;
		this.writeStallThreshold = builder.writeStallThreshold;
		this.roomAuthorizer = builder.roomAuthorizer;
		this.roomNotices = builder.roomNotices;
	}

	/**
	 * Returns a builder initialised with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the default settings.
	 * @return the defaults
	 */
	public static ConnectionManagerSettings defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns the maximum number of messages queued for one connection.
	 * @return the limit
	 */
	public int outboundQueueLimit() {
		return this.outboundQueueLimit;
	}

	/**
	 * Returns the byte budget of the messages queued for one connection, counted on their
	 * encoded size (UTF-8 for text). A message larger than the whole budget is still
	 * queued when nothing else is, so that any message can be delivered to a peer that
	 * keeps up.
	 * @return the budget in bytes
	 */
	public long outboundQueueBytes() {
		return this.outboundQueueBytes;
	}

	/**
	 * Returns the longest time a message may wait in a connection's outbound queue before
	 * the slow-consumer policy applies to it: the connection is closed with 1013, or the
	 * messages that waited longer are dropped.
	 * @return the maximum delay, {@link Duration#ZERO} for no limit
	 */
	public Duration outboundMaxDelay() {
		return this.outboundMaxDelay;
	}

	/**
	 * Returns what happens when a connection's queue is full.
	 * @return the policy
	 */
	public SlowConsumerPolicy slowConsumerPolicy() {
		return this.slowConsumerPolicy;
	}

	/**
	 * Returns the maximum number of connections one user may hold.
	 * @return the limit, 0 meaning unlimited
	 */
	public int maxConnectionsPerUser() {
		return this.maxConnectionsPerUser;
	}

	/**
	 * Returns how long a close may wait for queued messages and the close handshake
	 * before the connection is dropped; also how long one write may take before its peer
	 * counts as a slow consumer and is closed with 1013.
	 * @return the close timeout
	 */
	public Duration closeTimeout() {
		return this.closeTimeout;
	}

	/**
	 * Returns the number of threads that write to connections.
	 * @return the writer threads
	 */
	public int writerThreads() {
		return this.writerThreads;
	}

	/**
	 * Returns how long a blocking write may take before its connection counts as stalled:
	 * the connection then switches to asynchronous writes and a thread stands in for the
	 * blocked writer. A tenth of it bounds how long the thread that received a peer's
	 * message waits for the write of its reply.
	 * @return the stall threshold
	 */
	public Duration writeStallThreshold() {
		return this.writeStallThreshold;
	}

	/**
	 * Returns what decides whether a user may join a room.
	 * @return the room authorizer
	 */
	public RoomAuthorizer roomAuthorizer() {
		return this.roomAuthorizer;
	}

	/**
	 * Returns whether a room's members are told when a user joins or leaves it, as the
	 * seed's Redis manager does: {@code {"type":"user_joined","user_id","room"}} to the
	 * room (the joining user included) when the user joins, and
	 * {@code {"type":"user_left","user_id","room"}} to the members left when the user
	 * leaves it, or leaves every room with their last connection. Each is sent once,
	 * cluster-wide with a distributed manager.
	 * @return whether room notices are sent
	 */
	public boolean roomNotices() {
		return this.roomNotices;
	}

	/**
	 * Returns a builder initialised with these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder().outboundQueueLimit(this.outboundQueueLimit)
			.outboundQueueBytes(this.outboundQueueBytes)
			.outboundMaxDelay(this.outboundMaxDelay)
			.slowConsumerPolicy(this.slowConsumerPolicy)
			.maxConnectionsPerUser(this.maxConnectionsPerUser)
			.closeTimeout(this.closeTimeout)
			.writerThreads(this.writerThreads)
			.writeStallThreshold(this.writeStallThreshold)
			.roomAuthorizer(this.roomAuthorizer)
			.roomNotices(this.roomNotices);
	}

	@Override
	public String toString() {
		return "ConnectionManagerSettings[outboundQueueLimit=" + this.outboundQueueLimit + ", outboundQueueBytes="
				+ this.outboundQueueBytes + ", outboundMaxDelay=" + this.outboundMaxDelay + ", slowConsumerPolicy="
				+ this.slowConsumerPolicy + ", maxConnectionsPerUser=" + this.maxConnectionsPerUser + ", closeTimeout="
				+ this.closeTimeout + ", writerThreads=" + this.writerThreads + ", writeStallThreshold="
				+ this.writeStallThreshold + ", roomAuthorizer=" + this.roomAuthorizer + ", roomNotices="
				+ this.roomNotices + "]";
	}

	/**
	 * Builder of {@link ConnectionManagerSettings}; starts from the defaults.
	 */
	public static final class Builder {

		private int outboundQueueLimit = DEFAULT_OUTBOUND_QUEUE_LIMIT;

		private long outboundQueueBytes = DEFAULT_OUTBOUND_QUEUE_BYTES;

		private Duration outboundMaxDelay = DEFAULT_OUTBOUND_MAX_DELAY;

		private SlowConsumerPolicy slowConsumerPolicy = DEFAULT_SLOW_CONSUMER_POLICY;

		private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private int writerThreads = DEFAULT_WRITER_THREADS;

		private Duration writeStallThreshold = DEFAULT_WRITE_STALL_THRESHOLD;

		private RoomAuthorizer roomAuthorizer = DEFAULT_ROOM_AUTHORIZER;

		private boolean roomNotices = DEFAULT_ROOM_NOTICES;

		private Builder() {
		}

		/**
		 * Sets the maximum number of messages queued for one connection (default
		 * {@link #DEFAULT_OUTBOUND_QUEUE_LIMIT}).
		 * @param outboundQueueLimit a positive number
		 * @return this builder
		 */
		public Builder outboundQueueLimit(int outboundQueueLimit) {
			this.outboundQueueLimit = outboundQueueLimit;
			return this;
		}

		/**
		 * Sets the byte budget of the messages queued for one connection (default
		 * {@link #DEFAULT_OUTBOUND_QUEUE_BYTES}).
		 * @param outboundQueueBytes a positive number of bytes
		 * @return this builder
		 */
		public Builder outboundQueueBytes(long outboundQueueBytes) {
			this.outboundQueueBytes = outboundQueueBytes;
			return this;
		}

		/**
		 * Sets the longest time a message may wait in a connection's outbound queue
		 * (default {@link #DEFAULT_OUTBOUND_MAX_DELAY}).
		 * @param outboundMaxDelay a positive duration, or {@link Duration#ZERO} for no
		 * limit
		 * @return this builder
		 */
		public Builder outboundMaxDelay(Duration outboundMaxDelay) {
			this.outboundMaxDelay = outboundMaxDelay;
			return this;
		}

		/**
		 * Sets what happens when a connection's queue is full (default
		 * {@link #DEFAULT_SLOW_CONSUMER_POLICY}).
		 * @param slowConsumerPolicy the policy
		 * @return this builder
		 */
		public Builder slowConsumerPolicy(SlowConsumerPolicy slowConsumerPolicy) {
			this.slowConsumerPolicy = slowConsumerPolicy;
			return this;
		}

		/**
		 * Sets the maximum number of connections per user (default
		 * {@link #DEFAULT_MAX_CONNECTIONS_PER_USER}).
		 * @param maxConnectionsPerUser 0 for unlimited, or a positive number
		 * @return this builder
		 */
		public Builder maxConnectionsPerUser(int maxConnectionsPerUser) {
			this.maxConnectionsPerUser = maxConnectionsPerUser;
			return this;
		}

		/**
		 * Sets how long a close may take (default {@link #DEFAULT_CLOSE_TIMEOUT}).
		 * @param closeTimeout a positive duration
		 * @return this builder
		 */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		/**
		 * Sets the number of threads that write to connections (default
		 * {@link #DEFAULT_WRITER_THREADS}).
		 * @param writerThreads a positive number
		 * @return this builder
		 */
		public Builder writerThreads(int writerThreads) {
			this.writerThreads = writerThreads;
			return this;
		}

		/**
		 * Sets how long a blocking write may take before its connection counts as stalled
		 * (default {@link #DEFAULT_WRITE_STALL_THRESHOLD}).
		 * @param writeStallThreshold a positive duration
		 * @return this builder
		 */
		public Builder writeStallThreshold(Duration writeStallThreshold) {
			this.writeStallThreshold = writeStallThreshold;
			return this;
		}

		/**
		 * Sets what decides whether a user may join a room (default
		 * {@link #DEFAULT_ROOM_AUTHORIZER}, which lets everyone join).
		 * @param roomAuthorizer the authorizer
		 * @return this builder
		 */
		public Builder roomAuthorizer(RoomAuthorizer roomAuthorizer) {
			this.roomAuthorizer = roomAuthorizer;
			return this;
		}

		/**
		 * Sets whether a room's members are told when a user joins or leaves it (default
		 * {@link #DEFAULT_ROOM_NOTICES}).
		 * @param roomNotices whether to send room notices
		 * @return this builder
		 * @see ConnectionManagerSettings#roomNotices()
		 */
		public Builder roomNotices(boolean roomNotices) {
			this.roomNotices = roomNotices;
			return this;
		}

		/**
		 * Validates the settings and builds them.
		 * @return the settings
		 * @throws IllegalArgumentException naming the setting and the value when one is
		 * invalid
		 */
		public ConnectionManagerSettings build() {
			Ranges.requirePositive("outboundQueueLimit", this.outboundQueueLimit);
			Ranges.requirePositive("outboundQueueBytes", this.outboundQueueBytes);
			Ranges.requireZeroOrPositive("outboundMaxDelay", this.outboundMaxDelay, "no limit");
			Objects.requireNonNull(this.slowConsumerPolicy, "slowConsumerPolicy must not be null");
			Ranges.requireZeroOrMore("maxConnectionsPerUser", this.maxConnectionsPerUser, "unlimited");
			Ranges.requirePositive("closeTimeout", this.closeTimeout);
			Ranges.requirePositive("writerThreads", this.writerThreads);
			Ranges.requireAtLeast("writeStallThreshold", this.writeStallThreshold, Duration.ofMillis(1));
			Objects.requireNonNull(this.roomAuthorizer, "roomAuthorizer must not be null");
			return new ConnectionManagerSettings(this);
		}

	}

}
