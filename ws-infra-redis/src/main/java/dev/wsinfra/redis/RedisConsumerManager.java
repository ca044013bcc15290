package dev.wsinfra.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.internal.Ranges;
import dev.wsinfra.redis.internal.LuaScripts;
import dev.wsinfra.redis.internal.Payload;
import dev.wsinfra.redis.internal.RedisGateway;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Spreads tasks over the instances of a cluster with a Redis stream and a consumer group,
 * the seed's {@code RedisConsumerManager}: each task goes to one consumer, is
 * acknowledged only after its handler returned, is delivered again when its handler
 * failed or its consumer died (claimed once it has been idle for the claim time), and
 * moves to a dead-letter stream after the maximum number of deliveries.
 * <p>
 * Delivery is at least once: a consumer that dies after its handler's work but before the
 * acknowledgement has the task done twice, so handlers should be idempotent. While a
 * batch of tasks is handled, its consumer keeps the ownership of every task of the batch
 * not done yet fresh ({@code XCLAIM ... JUSTID} every third of the claim time), so
 * neither a handler slower than the claim time nor the tasks waiting behind it are handed
 * to a second consumer; a handler that never returns holds its batch until its manager is
 * closed or its process dies.
 * <p>
 * <b>Size.</b> A task is deleted from the stream once acknowledged or dead-lettered, so
 * the stream holds the backlog only, trimmed to about {@link Builder#maxLength(int)}
 * entries when a task is added: past that backlog the oldest tasks are dropped, so size
 * it well above the backlog the consumers may fall behind by. The dead-letter stream
 * keeps about its last {@link Builder#deadLetterMaxLength(int)} tasks. Both trim
 * approximately ({@code MAXLEN ~}), which Redis does by whole nodes, so a stream may hold
 * a little more. For a stream read by several groups, keep acknowledged tasks
 * ({@link Builder#deleteAcknowledged(boolean)}): one group's acknowledgement must not
 * delete a task the others have not read.
 * <p>
 * <b>Topologies.</b> The client is a standalone, Sentinel or Redis Cluster one. On a
 * cluster every command and script of a manager touches the one slot of its stream's hash
 * tag and runs on the master serving that slot; streams with different hash tags spread
 * over the masters.
 * <p>
 * <b>Lifecycle and threads.</b> {@link #start()} opens a connection and creates the
 * group. {@link #addTask} is safe from any thread. {@link #processTasks} runs the
 * consumer loop on the calling thread, with a connection of its own, until
 * {@link #close()} or an interrupt; run it on a thread of your own, one loop per consumer
 * name.
 *
 * @since 0.1.0
 */
public final class RedisConsumerManager implements AutoCloseable {

	/** Default maximum length of the task stream: about 100,000 tasks. */
	public static final int DEFAULT_MAX_LENGTH = 100_000;

	/** Default maximum length of the dead-letter stream: about 10,000 tasks. */
	public static final int DEFAULT_DEAD_LETTER_MAX_LENGTH = 10_000;

	private static final Log logger = LogFactory.getLog(RedisConsumerManager.class);

	private final Supplier<AbstractRedisClient> clientSupplier;

	private final JsonMapper jsonMapper;

	private final String stream;

	private final String group;

	private final String consumerName;

	private final String deadLetterStream;

	private final int batchSize;

	private final Duration blockTimeout;

	private final Duration claimIdleTime;

	private final int maxDeliveries;

	private final Duration commandTimeout;

	private final int maxLength;

	private final int deadLetterMaxLength;

	private final boolean deleteAcknowledged;

	private final CountDownLatch closed = new CountDownLatch(1);

	private final AtomicLong processed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	private final Object lifecycleLock = new Object();

	// Guarded by lifecycleLock.
	private @Nullable AbstractRedisClient client;

	// Guarded by lifecycleLock.
	private @Nullable Link link;

	private volatile @Nullable RedisGateway gateway;

	// Refreshes the ownership of running tasks. Guarded by lifecycleLock.
	private @Nullable ScheduledThreadPoolExecutor refresher;

	private RedisConsumerManager(Builder builder) {
		this.clientSupplier = builder.clientSupplier;
		this.jsonMapper = (builder.jsonMapper != null) ? builder.jsonMapper : JsonMapper.builder().build();
		this.stream = builder.stream;
		this.group = builder.group;
		this.consumerName = (builder.consumerName != null) ? builder.consumerName
				: "consumer-" + UUID.randomUUID().toString().substring(0, 8);
		this.deadLetterStream = builder.deadLetterStream();
		this.batchSize = builder.batchSize;
		this.blockTimeout = builder.blockTimeout;
		this.claimIdleTime = builder.claimIdleTime;
		this.maxDeliveries = builder.maxDeliveries;
		this.commandTimeout = builder.commandTimeout;
		this.maxLength = builder.maxLength;
		this.deadLetterMaxLength = builder.deadLetterMaxLength;
		this.deleteAcknowledged = builder.deleteAcknowledged;
	}

	/**
	 * Returns a builder on the Lettuce client of a Spring Data Redis connection factory.
	 * @param connectionFactory the connection factory
	 * @return a new builder
	 */
	public static Builder builder(LettuceConnectionFactory connectionFactory) {
		return new Builder(connectionFactory::getRequiredNativeClient);
	}

	/**
	 * Returns a builder on a Lettuce client.
	 * @param client a standalone, Sentinel or Redis Cluster client
	 * @return a new builder
	 */
	public static Builder builder(AbstractRedisClient client) {
		return new Builder(() -> client);
	}

	/**
	 * Opens a connection and creates the consumer group, and the stream, if they do not
	 * exist. Does nothing when already started.
	 * @throws DataAccessException when Redis cannot be reached
	 * @throws IllegalStateException after {@link #close()}, or for a client of another
	 * kind
	 */
	public void start() {
		synchronized (this.lifecycleLock) {
			if (this.closed.getCount() == 0) {
				throw new IllegalStateException("A closed RedisConsumerManager cannot be started again");
			}
			if (this.gateway != null) {
				return;
			}
			AbstractRedisClient client = this.clientSupplier.get();
			Link link = Link.open(client, this.commandTimeout);
			this.client = client;
			this.link = link;
			this.gateway = link.gateway();
			link.gateway().load(List.of(LuaScripts.CLAIM_TASKS, LuaScripts.ACK_TASK, LuaScripts.REFRESH_TASKS));
			createGroup(link.commands());
			ScheduledThreadPoolExecutor refresher = new ScheduledThreadPoolExecutor(1,
					DaemonThreads.factory("ws-redis-tasks-" + this.consumerName));
			// A batch's refresh is cancelled when the batch is done: without this its
			// timer would stay in the queue until its next run.
			refresher.setRemoveOnCancelPolicy(true);
			this.refresher = refresher;
		}
	}

	/**
	 * Adds a task to the stream, trimming the stream to about its maximum length.
	 * @param task a JSON value or a string
	 * @return the task's id
	 * @throws DataAccessException when Redis cannot store it
	 */
	public String addTask(Object task) {
		String data = Payload.toStreamData(task, this.jsonMapper);
		RedisGateway gateway = requireGateway();
		XAddArgs trimmed = new XAddArgs().maxlen(this.maxLength).approximateTrimming();
		return gateway.await(gateway.async().xadd(this.stream, trimmed, Map.of("data", data)), "add task");
	}

	/**
	 * Runs the consumer loop on the calling thread until {@link #close()} or an
	 * interrupt: claims tasks idle past the claim time (dead-lettering those already
	 * delivered the maximum number of times), then reads new tasks, waiting at most the
	 * block timeout; each task is acknowledged once the handler returned. A Redis failure
	 * is logged and retried; a stream or group lost with Redis's data is created again.
	 * @param handler does the work
	 * @throws IllegalStateException when the manager is not started
	 */
	public void processTasks(TaskHandler handler) {
		Objects.requireNonNull(handler, "handler must not be null");
		AbstractRedisClient client;
		synchronized (this.lifecycleLock) {
			requireGateway();
			client = Objects.requireNonNull(this.client);
		}
		Link worker = Link.open(client, this.commandTimeout);
		worker.connection().setTimeout(this.blockTimeout.plus(this.commandTimeout));
		RedisClusterCommands<String, String> commands = worker.commands();
		RedisGateway scripts = worker.gateway();
		long claimInterval = Math.max(50, this.claimIdleTime.toMillis() / 2);
		long lastClaim = 0;
		try {
			while (this.closed.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
				try {
					long now = System.nanoTime() / 1_000_000;
					if (now - lastClaim >= claimInterval) {
						lastClaim = now;
						claimStale(scripts, handler);
					}
					List<Fetched> batch = new ArrayList<>();
					for (StreamMessage<String, String> message : readNew(commands)) {
						batch.add(new Fetched(message.getId(), message.getBody().get("data"), 1));
					}
					handle(scripts, handler, batch);
				}
				catch (RedisException | DataAccessException ex) {
					if (this.closed.getCount() == 0) {
						break;
					}
					if (String.valueOf(ex.getMessage()).contains("NOGROUP")) {
						createGroup(commands);
						continue;
					}
					logger.warn("Consumer " + this.consumerName + " of " + this.stream + " failed; retrying: "
							+ ex.getMessage());
					if (this.closed.await(1, TimeUnit.SECONDS)) {
						break;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			worker.connection().close();
		}
	}

	// One stream offset: the varargs array is safe.
	@SuppressWarnings("unchecked")
	private List<StreamMessage<String, String>> readNew(RedisClusterCommands<String, String> commands) {
		return commands.xreadgroup(Consumer.from(this.group, this.consumerName),
				XReadArgs.Builder.block(this.blockTimeout).count(this.batchSize),
				XReadArgs.StreamOffset.lastConsumed(this.stream));
	}

	private void claimStale(RedisGateway scripts, TaskHandler handler) throws InterruptedException {
		List<Object> reply = scripts.eval(LuaScripts.CLAIM_TASKS, new String[] { this.stream, this.deadLetterStream },
				this.group, this.consumerName, Long.toString(this.claimIdleTime.toMillis()),
				Integer.toString(this.batchSize), Integer.toString(this.maxDeliveries),
				Integer.toString(this.deadLetterMaxLength), this.deleteAcknowledged ? "1" : "0");
		List<?> dead = (List<?>) reply.get(1);
		if (!dead.isEmpty()) {
			this.deadLettered.addAndGet(dead.size());
			logger.warn("Moved task(s) " + dead + " of " + this.stream + " to " + this.deadLetterStream + " after "
					+ this.maxDeliveries + " deliveries");
		}
		List<Fetched> batch = new ArrayList<>();
		for (Object item : (List<?>) reply.get(0)) {
			List<?> claimed = (List<?>) item;
			List<?> fields = (List<?>) claimed.get(1);
			String data = null;
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				if ("data".equals(fields.get(i))) {
					data = (String) fields.get(i + 1);
				}
			}
			batch.add(new Fetched((String) claimed.get(0), data, (Long) claimed.get(2)));
		}
		handle(scripts, handler, batch);
	}

	/**
	 * Handles a fetched batch in order, keeping every task of it owned until its own
	 * handler returned: the tasks waiting behind a slow one are not claimed meanwhile.
	 */
	private void handle(RedisGateway scripts, TaskHandler handler, List<Fetched> batch) throws InterruptedException {
		if (batch.isEmpty()) {
			return;
		}
		Ownership ownership = new Ownership(batch);
		try {
			for (Fetched fetched : batch) {
				handle(scripts, handler, fetched, ownership);
			}
		}
		finally {
			ownership.release();
		}
	}

	private void handle(RedisGateway scripts, TaskHandler handler, Fetched fetched, Ownership ownership)
			throws InterruptedException {
		RedisTask task = new RedisTask(fetched.id(), parse(fetched.data()), fetched.deliveries());
		try {
			handler.handle(task);
		}
		catch (InterruptedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			this.failed.incrementAndGet();
			logger.warn("Task " + task.id() + " of " + this.stream + " failed (delivery " + task.deliveryCount()
					+ " of at most " + this.maxDeliveries + "); it is retried once idle for " + this.claimIdleTime, ex);
			return;
		}
		finally {
			ownership.done(task.id());
		}
		scripts.eval(LuaScripts.ACK_TASK, new String[] { this.stream }, this.group, task.id(),
				this.deleteAcknowledged ? "1" : "0");
		this.processed.incrementAndGet();
	}

	private JsonNode parse(@Nullable String data) {
		if (data == null) {
			return StringNode.valueOf("");
		}
		try {
			return this.jsonMapper.readTree(data);
		}
		catch (JacksonException ex) {
			return StringNode.valueOf(data);
		}
	}

	private void createGroup(RedisClusterCommands<String, String> commands) {
		try {
			commands.xgroupCreate(XReadArgs.StreamOffset.from(this.stream, "0"), this.group,
					XGroupCreateArgs.Builder.mkstream());
		}
		catch (RedisBusyException ex) {
			// The group exists.
		}
		catch (RedisException ex) {
			if (!String.valueOf(ex.getMessage()).startsWith("BUSYGROUP")) {
				throw RedisGateway.translate(ex, "create group");
			}
		}
	}

	/**
	 * Returns how many tasks were delivered and not acknowledged yet.
	 * @return the count
	 * @throws DataAccessException when Redis cannot be read
	 */
	public long pendingCount() {
		RedisGateway gateway = requireGateway();
		return gateway.await(gateway.async().xpending(this.stream, this.group), "pending").getCount();
	}

	/**
	 * Returns the oldest tasks of the dead-letter stream, with their original id and the
	 * number of deliveries they failed.
	 * @param count the maximum number of tasks
	 * @return the tasks
	 * @throws DataAccessException when Redis cannot be read
	 */
	public List<RedisTask> deadLetters(int count) {
		RedisGateway gateway = requireGateway();
		List<StreamMessage<String, String>> messages = gateway.await(
				gateway.async().xrange(this.deadLetterStream, Range.create("-", "+"), Limit.from(count)),
				"dead letters");
		List<RedisTask> tasks = new ArrayList<>(messages.size());
		for (StreamMessage<String, String> message : messages) {
			Map<String, String> body = message.getBody();
			tasks.add(new RedisTask(body.getOrDefault("source_id", message.getId()), parse(body.get("data")),
					Long.parseLong(body.getOrDefault("deliveries", "0"))));
		}
		return tasks;
	}

	/** Returns the stream's name. */
	public String stream() {
		return this.stream;
	}

	/** Returns the consumer group's name. */
	public String group() {
		return this.group;
	}

	/** Returns this consumer's name in the group. */
	public String consumerName() {
		return this.consumerName;
	}

	/** Returns the dead-letter stream's name. */
	public String deadLetterStream() {
		return this.deadLetterStream;
	}

	/** Returns how many tasks this manager's handlers completed. */
	public long processedCount() {
		return this.processed.get();
	}

	/** Returns how many times this manager's handlers failed. */
	public long failedCount() {
		return this.failed.get();
	}

	/** Returns how many tasks this manager moved to the dead-letter stream. */
	public long deadLetteredCount() {
		return this.deadLettered.get();
	}

	/**
	 * Stops the consumer loops (each returns after its current read, at most the block
	 * timeout) and closes the connection. A task whose handler is running stays pending
	 * and is claimed by another consumer.
	 */
	@Override
	public void close() {
		synchronized (this.lifecycleLock) {
			this.closed.countDown();
			if (this.refresher != null) {
				this.refresher.shutdownNow();
				this.refresher = null;
			}
			this.gateway = null;
			if (this.link != null) {
				this.link.gateway().close();
				this.link = null;
			}
		}
	}

	private RedisGateway requireGateway() {
		RedisGateway gateway = this.gateway;
		if (gateway == null) {
			throw new IllegalStateException("RedisConsumerManager " + this.consumerName + " is not started");
		}
		return gateway;
	}

	/**
	 * A connection of a standalone, Sentinel or Redis Cluster client, which routes each
	 * command by its key's slot: its gateway for scripts and replies awaited with the
	 * command timeout, and its blocking commands.
	 */
	private record Link(StatefulConnection<String, String> connection, RedisGateway gateway,
			RedisClusterCommands<String, String> commands) {

		static Link open(AbstractRedisClient client, Duration commandTimeout) {
			try {
				if (client instanceof RedisClusterClient clusterClient) {
					StatefulRedisClusterConnection<String, String> connection = clusterClient.connect(StringCodec.UTF8);
					return new Link(connection, new RedisGateway(connection, commandTimeout), connection.sync());
				}
				if (client instanceof RedisClient redisClient) {
					StatefulRedisConnection<String, String> connection = redisClient.connect(StringCodec.UTF8);
					return new Link(connection, new RedisGateway(connection, commandTimeout), connection.sync());
				}
			}
			catch (RedisException ex) {
				throw RedisGateway.translate(ex, "connect");
			}
			throw new IllegalStateException("RedisConsumerManager needs a standalone, Sentinel or Redis Cluster"
					+ " client, not " + client.getClass().getName());
		}

	}

	/** A task as fetched, before it is handled. */
	private record Fetched(String id, @Nullable String data, long deliveries) {
	}

	/**
	 * The ownership of the tasks of a fetched batch whose handlers have not returned yet:
	 * refreshed every third of the claim time in one step for all of them, so that no
	 * other consumer claims them meanwhile, until each is done.
	 */
	private final class Ownership {

		// The tasks still owned, in fetch order.
		private final Set<String> ids = ConcurrentHashMap.newKeySet();

		private final @Nullable ScheduledFuture<?> refresh;

		Ownership(List<Fetched> batch) {
			batch.forEach((fetched) -> this.ids.add(fetched.id()));
			ScheduledExecutorService refresher;
			synchronized (RedisConsumerManager.this.lifecycleLock) {
				refresher = RedisConsumerManager.this.refresher;
			}
			long interval = Math.max(10, RedisConsumerManager.this.claimIdleTime.toMillis() / 3);
			ScheduledFuture<?> refresh = null;
			if (refresher != null) {
				try {
					refresh = refresher.scheduleWithFixedDelay(this::refresh, interval, interval,
							TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException ex) {
					// Closing: the tasks are left to be claimed.
				}
			}
			this.refresh = refresh;
		}

		private void refresh() {
			RedisGateway gateway = RedisConsumerManager.this.gateway;
			List<String> owned = List.copyOf(this.ids);
			if (gateway == null || owned.isEmpty()) {
				return;
			}
			List<String> args = new ArrayList<>(owned.size() + 2);
			args.add(RedisConsumerManager.this.group);
			args.add(RedisConsumerManager.this.consumerName);
			args.addAll(owned);
			gateway
				.<List<Object>>evalAsync(LuaScripts.REFRESH_TASKS, new String[] { RedisConsumerManager.this.stream },
						args.toArray(String[]::new))
				.whenComplete((lost, failure) -> {
					if (failure == null) {
						lost.forEach((id) -> lost((String) id));
					}
				});
		}

		private void lost(String id) {
			if (this.ids.remove(id)) {
				logger.warn("Task " + id + " of " + RedisConsumerManager.this.stream
						+ " is no longer pending for consumer " + RedisConsumerManager.this.consumerName
						+ " before its handler returned: it was claimed by another consumer or trimmed, and may"
						+ " be done twice");
			}
		}

		/** Stops refreshing a task, before it is acknowledged. */
		void done(String id) {
			this.ids.remove(id);
		}

		/** Stops refreshing the batch. */
		void release() {
			this.ids.clear();
			if (this.refresh != null) {
				this.refresh.cancel(false);
			}
		}

	}

	/**
	 * Builder of {@link RedisConsumerManager}.
	 */
	public static final class Builder {

		private final Supplier<AbstractRedisClient> clientSupplier;

		private @Nullable JsonMapper jsonMapper;

		private String stream = "ws:{tasks}";

		private String group = "ws:workers";

		private @Nullable String consumerName;

		private @Nullable String deadLetterStream;

		private int batchSize = 10;

		private Duration blockTimeout = Duration.ofSeconds(2);

		private Duration claimIdleTime = Duration.ofSeconds(30);

		private int maxDeliveries = 5;

		private Duration commandTimeout = RedisConnectionManagerOptions.DEFAULT_COMMAND_TIMEOUT;

		private int maxLength = DEFAULT_MAX_LENGTH;

		private int deadLetterMaxLength = DEFAULT_DEAD_LETTER_MAX_LENGTH;

		private boolean deleteAcknowledged = true;

		private Builder(Supplier<AbstractRedisClient> clientSupplier) {
			this.clientSupplier = clientSupplier;
		}

		/**
		 * Sets the stream of tasks (default <code>ws:{tasks}</code>). Its dead-letter
		 * stream is in the same hash slot (see {@link #deadLetterStream(String)}), so
		 * each script touches one slot, on Redis Cluster too.
		 * @param stream the stream's key
		 * @return this builder
		 */
		public Builder stream(String stream) {
			this.stream = stream;
			return this;
		}

		/**
		 * Sets the consumer group (default {@code ws:workers}).
		 * @param group the group's name
		 * @return this builder
		 */
		public Builder group(String group) {
			this.group = group;
			return this;
		}

		/**
		 * Sets this consumer's name (default: {@code consumer-} and a random suffix).
		 * @param consumerName a name unique in the group
		 * @return this builder
		 */
		public Builder consumerName(String consumerName) {
			this.consumerName = consumerName;
			return this;
		}

		/**
		 * Sets the dead-letter stream. It must hash to the task stream's slot: give both
		 * the same hash tag. By default it is the stream's key and {@code :dead} when the
		 * stream's key has a hash tag, otherwise the stream's key as a hash tag and
		 * {@code :dead} (<code>{tasks}:dead</code> for {@code tasks}), which hashes to
		 * the same slot.
		 * @param deadLetterStream the stream's key
		 * @return this builder
		 */
		public Builder deadLetterStream(String deadLetterStream) {
			this.deadLetterStream = deadLetterStream;
			return this;
		}

		/**
		 * Sets the mapper for tasks (default: a new {@code JsonMapper}).
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Sets how many tasks a read or a claim takes at most (default 10).
		 * @param batchSize a positive number
		 * @return this builder
		 */
		public Builder batchSize(int batchSize) {
			this.batchSize = batchSize;
			return this;
		}

		/**
		 * Sets how long a read waits for new tasks (default 2 s); also the longest
		 * {@link RedisConsumerManager#close()} takes to stop a loop.
		 * @param blockTimeout a positive duration
		 * @return this builder
		 */
		public Builder blockTimeout(Duration blockTimeout) {
			this.blockTimeout = blockTimeout;
			return this;
		}

		/**
		 * Sets how long a task stays pending before another delivery (default 30 s): the
		 * retry delay of failed tasks and the time to take over from a dead consumer.
		 * @param claimIdleTime a positive duration; a running handler keeps its task
		 * however long it takes
		 * @return this builder
		 */
		public Builder claimIdleTime(Duration claimIdleTime) {
			this.claimIdleTime = claimIdleTime;
			return this;
		}

		/**
		 * Sets after how many deliveries a task still pending goes to the dead-letter
		 * stream (default 5).
		 * @param maxDeliveries a positive number
		 * @return this builder
		 */
		public Builder maxDeliveries(int maxDeliveries) {
			this.maxDeliveries = maxDeliveries;
			return this;
		}

		/**
		 * Sets the wait for a Redis reply (default 2 s).
		 * @param commandTimeout a positive duration
		 * @return this builder
		 */
		public Builder commandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
			return this;
		}

		/**
		 * Sets about how many tasks the stream keeps (default
		 * {@value #DEFAULT_MAX_LENGTH}): adding a task trims the oldest past it, done or
		 * not, so size it well above the backlog the consumers may fall behind by.
		 * @param maxLength a positive number
		 * @return this builder
		 */
		public Builder maxLength(int maxLength) {
			this.maxLength = maxLength;
			return this;
		}

		/**
		 * Sets about how many tasks the dead-letter stream keeps, the last ones (default
		 * {@value #DEFAULT_DEAD_LETTER_MAX_LENGTH}).
		 * @param deadLetterMaxLength a positive number
		 * @return this builder
		 */
		public Builder deadLetterMaxLength(int deadLetterMaxLength) {
			this.deadLetterMaxLength = deadLetterMaxLength;
			return this;
		}

		/**
		 * Sets whether a task acknowledged or dead-lettered is deleted from the stream
		 * (default {@code true}). Set it to {@code false} when other consumer groups read
		 * the stream too: the maximum length then bounds the stream.
		 * @param deleteAcknowledged whether to delete acknowledged tasks
		 * @return this builder
		 */
		public Builder deleteAcknowledged(boolean deleteAcknowledged) {
			this.deleteAcknowledged = deleteAcknowledged;
			return this;
		}

		/**
		 * Validates the settings and builds the manager, not started.
		 * @return the manager
		 * @throws IllegalArgumentException naming the setting and the value when one is
		 * invalid
		 */
		public RedisConsumerManager build() {
			requireText("stream", this.stream);
			requireText("group", this.group);
			Ranges.requirePositive("batchSize", this.batchSize);
			Ranges.requirePositive("maxDeliveries", this.maxDeliveries);
			Ranges.requirePositive("maxLength", this.maxLength);
			Ranges.requirePositive("deadLetterMaxLength", this.deadLetterMaxLength);
			Ranges.requirePositive("blockTimeout", this.blockTimeout);
			Ranges.requirePositive("claimIdleTime", this.claimIdleTime);
			Ranges.requirePositive("commandTimeout", this.commandTimeout);
			String deadLetter = deadLetterStream();
			if (SlotHash.getSlot(deadLetter) != SlotHash.getSlot(this.stream)) {
				throw new IllegalArgumentException("The dead-letter stream '" + deadLetter
						+ "' must hash to the slot of the stream '" + this.stream + "': give both the same hash tag");
			}
			return new RedisConsumerManager(this);
		}

		private String deadLetterStream() {
			if (this.deadLetterStream != null) {
				return this.deadLetterStream;
			}
			int open = this.stream.indexOf('{');
			int close = (open >= 0) ? this.stream.indexOf('}', open + 1) : -1;
			boolean tagged = close > open + 1;
			return tagged ? this.stream + ":dead" : "{" + this.stream + "}:dead";
		}

		private static void requireText(String name, @Nullable String value) {
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
			}
		}

	}

}
