package dev.wsinfra.redis;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The one run of a manager, started once and stopped once, and how the manager reaches
 * it: what needs Redis fails unless the manager is running, while local queries and sends
 * answer as an empty instance before the start. Local disconnects are handed to the run
 * that registered the connection.
 */
final class ManagerLifecycle {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final ManagerContext context;

	private final Supplier<AbstractRedisClient> clientSupplier;

	private final Object lock = new Object();

	// Written once, under lock, by start.
	private volatile @Nullable RunningInstance run;

	private volatile boolean stopped;

	ManagerLifecycle(ManagerContext context, Supplier<AbstractRedisClient> clientSupplier) {
		this.context = context;
		this.clientSupplier = clientSupplier;
		context.local().onDisconnect((event) -> {
			RunningInstance run = this.run;
			if (run != null) {
				run.registrations.removed(event, this.stopped);
			}
		});
	}

	void start() {
		synchronized (this.lock) {
			if (this.run != null) {
				return;
			}
			if (this.stopped) {
				throw new IllegalStateException("A stopped RedisConnectionManager cannot be started again");
			}
			this.run = RunningInstance.start(this.context, this.clientSupplier.get());
			logger.info("Redis connection manager " + this.context.instanceId() + " started with key prefix '"
					+ this.context.options().keyPrefix() + "'");
		}
	}

	void stop() {
		RunningInstance stopping;
		synchronized (this.lock) {
			stopping = this.stopped ? null : this.run;
			this.stopped = true;
		}
		if (stopping != null) {
			stopping.stop();
		}
		this.context.local().close();
	}

	boolean isRunning() {
		return this.run != null && !this.stopped;
	}

	/**
	 * Returns the run.
	 * @throws IllegalStateException before the start and after the stop
	 */
	RunningInstance running() {
		RunningInstance run = this.run;
		if (run == null || this.stopped) {
			throw new IllegalStateException("RedisConnectionManager " + this.context.instanceId() + " is not running");
		}
		return run;
	}

	/** Reads the run while it is running, else answers {@code otherwise}. */
	<T> T ifRunning(Function<RunningInstance, T> read, T otherwise) {
		RunningInstance run = this.run;
		return (run != null && !this.stopped) ? read.apply(run) : otherwise;
	}

	/**
	 * Reads the run once it started, stopped or not, else answers {@code beforeStart}.
	 */
	<T> T ifStarted(Function<RunningInstance, T> read, T beforeStart) {
		RunningInstance run = this.run;
		return (run != null) ? read.apply(run) : beforeStart;
	}

	/**
	 * Disconnects on the run once it started. The container closes its sessions after the
	 * context stopped the manager: the connection is deregistered by then, only its close
	 * task finds the threads gone, and the container closes the session itself.
	 */
	void disconnect(Consumer<RunningInstance> disconnect) {
		RunningInstance run = this.run;
		if (run == null) {
			return;
		}
		try {
			disconnect.accept(run);
		}
		catch (RejectedExecutionException ex) {
			if (!this.stopped) {
				throw ex;
			}
			logger.debug("Disconnect after stop: the container closes the session", ex);
		}
	}

}
