package dev.wsinfra.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the library's daemon threads, named {@code <prefix>-<n>} with a number counted
 * per prefix across the whole JVM, so that no two threads share a name even when several
 * managers, clients or application contexts run in one process.
 */
public final class DaemonThreads {

	private static final Map<String, AtomicInteger> numbers = new ConcurrentHashMap<>();

	private DaemonThreads() {
	}

	/**
	 * Returns a factory of daemon threads named after a prefix.
	 * @param prefix the name prefix, such as {@code ws-infra-writer}
	 * @return the factory
	 */
	public static ThreadFactory factory(String prefix) {
		AtomicInteger counter = numbers.computeIfAbsent(prefix, (key) -> new AtomicInteger());
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Creates an unstarted daemon thread named after a prefix.
	 * @param prefix the name prefix
	 * @param task what the thread runs
	 * @return the thread
	 */
	public static Thread newThread(String prefix, Runnable task) {
		return factory(prefix).newThread(task);
	}

}
