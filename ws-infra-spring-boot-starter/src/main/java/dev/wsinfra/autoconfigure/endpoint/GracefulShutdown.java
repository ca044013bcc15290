package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.wsinfra.autoconfigure.internal.CloseReason;
import dev.wsinfra.internal.DaemonThreads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Closes the declared endpoints' connections when the application stops, before the web
 * server does: new handshakes get 503, then the connections get the seed's shutdown
 * notice and a 1001 close, in batches spread over the drain period so that clients do not
 * all reconnect to the remaining instances at once. The whole stop stays within Spring's
 * shutdown timeout per phase. A start after a stop accepts handshakes again; pausing the
 * context leaves the connections alone, as it leaves the web server.
 */
final class GracefulShutdown implements SmartLifecycle {

	/**
	 * Before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and stop.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	static final String NOTICE = "{\"type\":\"system\",\"message\":\"Server shutting down\"}";

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

	private final EndpointSessions sessions;

	private final ShutdownPlan plan;

	private volatile boolean running;

	GracefulShutdown(EndpointSessions sessions, ShutdownPlan plan) {
		this.sessions = sessions;
		this.plan = plan;
	}

	@Override
	public void start() {
		// A context started again after a stop serves handshakes again.
		this.sessions.endShutdown();
		this.running = true;
	}

	@Override
	public void stop() {
		drain();
	}

	@Override
	public void stop(Runnable callback) {
		DaemonThreads.newThread("ws-infra-shutdown", () -> {
			try {
				drain();
			}
			finally {
				callback.run();
			}
		}).start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Returns {@code false}: like the web server and its graceful shutdown, WebSocket
	 * connections stay open while the context is paused.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	private void drain() {
		this.running = false;
		this.sessions.startShutdown();
		List<SessionState> open = this.sessions.snapshot();
		open.removeIf(SessionState::isClosing);
		if (open.isEmpty()) {
			return;
		}
		List<List<SessionState>> batches = this.plan.batches(open);
		long interval = this.plan.interval(batches.size()).toNanos();
		logger.info("Closing " + open.size() + " WebSocket connections with 1001 (Server shutting down) in "
				+ batches.size() + " batches over " + this.plan.drainPeriod().toMillis() + " ms");
		long start = System.nanoTime();
		for (int i = 0; i < batches.size(); i++) {
			if (i > 0 && !sleepUntil(start + i * interval)) {
				break;
			}
			for (SessionState state : batches.get(i)) {
				this.sessions.close(state, CloseReason.SHUTDOWN, "the server is shutting down", false, NOTICE);
			}
		}
		for (SessionState state : open) {
			this.sessions.close(state, CloseReason.SHUTDOWN, "the server is shutting down", false, NOTICE);
		}
		long deadline = System.nanoTime() + this.plan.closeWait().toNanos();
		while (this.sessions.size() > 0 && System.nanoTime() < deadline) {
			if (!sleepUntil(Math.min(deadline, System.nanoTime() + POLL_NANOS))) {
				break;
			}
		}
		int remaining = this.sessions.size();
		if (remaining > 0) {
			logger.info(remaining + " WebSocket connections did not complete their close handshake within "
					+ this.plan.closeWait().toMillis() + " ms; the web server's stop ends them");
		}
		else {
			logger.info("Closed every WebSocket connection in "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
		}
	}

	private static boolean sleepUntil(long nanoTime) {
		long wait = nanoTime - System.nanoTime();
		if (wait <= 0) {
			return true;
		}
		try {
			TimeUnit.NANOSECONDS.sleep(wait);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * How to spread the closes: batches of at most {@code batchSize}, the first at once
	 * and the others evenly over the drain period, which is at most half the phase
	 * timeout; then at most a quarter of it, and no more than the close timeout, for
	 * close handshakes.
	 *
	 * @param drainPeriod the period the batches are spread over
	 * @param batchSize the maximum batch size
	 * @param closeWait how long to wait for close handshakes after the last batch
	 */
	record ShutdownPlan(Duration drainPeriod, int batchSize, Duration closeWait) {

		static ShutdownPlan of(Duration drainPeriod, int batchSize, Duration closeTimeout, Duration phaseTimeout) {
			Duration half = phaseTimeout.dividedBy(2);
			Duration quarter = phaseTimeout.dividedBy(4);
			return new ShutdownPlan((drainPeriod.compareTo(half) > 0) ? half : drainPeriod, batchSize,
					(closeTimeout.compareTo(quarter) > 0) ? quarter : closeTimeout);
		}

		List<List<SessionState>> batches(List<SessionState> sessions) {
			int count = (sessions.size() + this.batchSize - 1) / this.batchSize;
			return IntStream.range(0, count)
				.mapToObj((i) -> sessions.subList(i * this.batchSize,
						Math.min(sessions.size(), (i + 1) * this.batchSize)))
				.toList();
		}

		Duration interval(int batches) {
			return (batches > 1) ? this.drainPeriod.dividedBy(batches - 1) : Duration.ZERO;
		}

	}

}
