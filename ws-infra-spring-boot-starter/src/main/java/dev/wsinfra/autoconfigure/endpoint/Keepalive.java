package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.wsinfra.autoconfigure.internal.CloseReason;
import dev.wsinfra.server.ConnectionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Pings the sessions that have been quiet for the ping interval and closes with 1011
 * those that do not answer within the ping timeout. A sweep on the sessions' timer, a
 * tenth of the shorter of the two apart, finds them; pings go out on the sessions' I/O
 * threads, through the connection manager when it holds the session, so that they queue
 * behind its writes.
 */
final class Keepalive {

	private static final Log logger = LogFactory.getLog(Keepalive.class);

	private final EndpointSessions sessions;

	private final ConnectionManager manager;

	private final Executor io;

	private final AtomicLong pingCounter = new AtomicLong();

	Keepalive(EndpointSessions sessions, ConnectionManager manager, Executor io) {
		this.sessions = sessions;
		this.manager = manager;
		this.io = io;
	}

	/**
	 * Starts the sweeps.
	 * @param timer the timer that runs them
	 * @param interval how long a session may stay quiet before it is pinged
	 * @param timeout how long a ping may wait for its pong
	 */
	void start(ScheduledExecutorService timer, Duration interval, Duration timeout) {
		long tick = Math.max(50, Math.min(interval.toMillis(), timeout.toMillis()) / 10);
		long intervalNanos = interval.toNanos();
		long timeoutNanos = timeout.toNanos();
		timer.scheduleWithFixedDelay(() -> sweep(intervalNanos, timeoutNanos, timeout), tick, tick,
				TimeUnit.MILLISECONDS);
	}

	private void sweep(long intervalNanos, long timeoutNanos, Duration timeout) {
		long now = System.nanoTime();
		for (SessionState state : this.sessions.open()) {
			if (state.isClosing() || this.sessions.isShuttingDown()) {
				continue;
			}
			long pingSentAt = state.pingSentAt;
			if (pingSentAt != 0) {
				if (now - pingSentAt >= timeoutNanos) {
					this.sessions.close(state, CloseReason.PING_TIMEOUT, "no pong within " + timeout, true);
				}
			}
			else if (now - state.lastReceived >= intervalNanos) {
				state.pingSentAt = now | 1;
				this.io.execute(() -> ping(state));
			}
		}
	}

	private void ping(SessionState state) {
		ByteBuffer payload = ByteBuffer.allocate(Long.BYTES).putLong(0, this.pingCounter.incrementAndGet());
		PingMessage ping = new PingMessage(payload);
		String user = state.managedUserId;
		if (user != null && this.manager.send(state.session, ping)) {
			return;
		}
		sendPing(state.session, ping);
	}

	private static void sendPing(WebSocketSession session, PingMessage ping) {
		if (!session.isOpen()) {
			return;
		}
		try {
			// A control frame: the container writes it between data frames.
			session.sendMessage(ping);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Ping of WebSocket session " + session.getId() + " failed", ex);
		}
	}

}
