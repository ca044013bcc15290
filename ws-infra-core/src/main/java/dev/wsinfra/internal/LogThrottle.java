package dev.wsinfra.internal;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * Keeps a log line that can repeat at a high rate (a client repeating a refused request,
 * a listener failing on every message) from flooding the log: the first occurrence goes
 * out at its level, then at most one per interval, saying how many were held back since
 * the last; the others go out at DEBUG. One instance per source, such as a session, so
 * that one source's repetitions do not hide the lines of the others. Thread-safe.
 */
public final class LogThrottle {

	private final long intervalNanos;

	// Guarded by this: when the next line may go out at INFO, and how many did not since.
	private long nextInfo;

	private boolean started;

	private int heldBack;

	/**
	 * Creates a throttle.
	 * @param interval the least time between two lines above DEBUG
	 */
	public LogThrottle(Duration interval) {
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Logs one occurrence of the line, at INFO unless it is held back.
	 * @param logger where to
	 * @param message the line, built only when it is written
	 */
	public void info(Log logger, Supplier<String> message) {
		int held = acquire();
		if (held < 0) {
			if (logger.isDebugEnabled()) {
				logger.debug(message.get());
			}
		}
		else if (logger.isInfoEnabled()) {
			logger.info(message.get() + heldBackNote(held, "INFO"));
		}
	}

	/**
	 * Logs one occurrence of a failure, at WARN with its stack trace unless it is held
	 * back.
	 * @param logger where to
	 * @param message the line, built only when it is written
	 * @param failure the failure
	 */
	public void warn(Log logger, Supplier<String> message, Throwable failure) {
		int held = acquire();
		if (held < 0) {
			if (logger.isDebugEnabled()) {
				logger.debug(message.get(), failure);
			}
		}
		else {
			logger.warn(message.get() + heldBackNote(held, "WARN"), failure);
		}
	}

	private static String heldBackNote(int held, String level) {
		return (held > 0) ? " (" + held + " more since the last such line at " + level + ", logged at DEBUG)" : "";
	}

	/**
	 * Returns -1 when the occurrence is held back, else how many were held back before
	 * it.
	 */
	private synchronized int acquire() {
		long now = System.nanoTime();
		if (this.started && now - this.nextInfo < 0) {
			this.heldBack++;
			return -1;
		}
		this.started = true;
		this.nextInfo = now + this.intervalNanos;
		int held = this.heldBack;
		this.heldBack = 0;
		return held;
	}

}
