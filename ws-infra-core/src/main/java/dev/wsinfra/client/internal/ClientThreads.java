package dev.wsinfra.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.internal.DaemonThreads;

/**
 * The threads every client shares, all daemons: one timer for keepalive and close
 * deadlines, whose tasks never block, and a pool that grows on demand for work that may
 * (closing a dead connection, calling a listener's {@code onClose} from a timer).
 */
public final class ClientThreads {

	private static final ScheduledExecutorService TIMER = newTimer();

	private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
			new SynchronousQueue<>(), DaemonThreads.factory("ws-infra-client-worker"));

	private ClientThreads() {
	}

	/**
	 * Returns the shared timer.
	 * @return the scheduler
	 */
	public static ScheduledExecutorService timer() {
		return TIMER;
	}

	/**
	 * Returns the shared pool for work that may block.
	 * @return the executor
	 */
	public static ExecutorService workers() {
		return WORKERS;
	}

	private static ScheduledExecutorService newTimer() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				DaemonThreads.factory("ws-infra-client-timer"));
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
