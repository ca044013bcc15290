package dev.wsinfra.server;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.internal.DaemonThreads;
import org.jspecify.annotations.Nullable;

/**
 * The helper threads of a connection manager: closes, which may wait on a peer that does
 * not read, and a timer for close timeouts and the writers' watchdog. Daemon threads,
 * started on first use; the close threads end when idle.
 */
final class ManagerExecutors {

	private final ThreadPoolExecutor closes = pool("ws-infra-close", 8);

	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
			DaemonThreads.factory("ws-infra-manager-timer"));

	ManagerExecutors() {
		this.timer.setRemoveOnCancelPolicy(true);
	}

	// Once the pool is shut down, closes run on the calling thread.
	private final Executor closesOrCaller = (task) -> {
		try {
			this.closes.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.run();
		}
	};

	/**
	 * Returns the executor for closes; once shut down, it runs them on the calling
	 * thread.
	 */
	Executor closes() {
		return this.closesOrCaller;
	}

	/**
	 * Runs a task after a delay; a cancelled task leaves the timer's queue at once.
	 * @return the scheduled task, or {@code null} once the timer is shut down
	 */
	@Nullable ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		if (this.timer.isShutdown()) {
			return null;
		}
		return this.timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	void scheduleAtFixedRate(Runnable task, Duration period) {
		this.timer.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
	}

	void shutdown() {
		this.timer.shutdownNow();
		this.closes.shutdown();
	}

	private static ThreadPoolExecutor pool(String prefix, int threads) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), DaemonThreads.factory(prefix));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

}
