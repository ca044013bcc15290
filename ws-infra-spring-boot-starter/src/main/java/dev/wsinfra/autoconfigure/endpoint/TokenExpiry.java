package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.autoconfigure.internal.CloseReason;
import org.jspecify.annotations.Nullable;

/**
 * Closes a session with 4001 when its token expires unless a refresh moved the expiry:
 * one check per session, on the sessions' timer, at the instant the token stops being
 * valid.
 */
final class TokenExpiry {

	private final EndpointSessions sessions;

	private final ScheduledExecutorService timer;

	TokenExpiry(EndpointSessions sessions, ScheduledExecutorService timer) {
		this.sessions = sessions;
		this.timer = timer;
	}

	/**
	 * Schedules the check of a session whose token expires, if it has one.
	 */
	void schedule(SessionState state) {
		Instant expiresAt = state.expiresAt;
		if (expiresAt == null || this.timer.isShutdown()) {
			return;
		}
		long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
		state.expiryCheck = this.timer.schedule(() -> check(state), delay, TimeUnit.MILLISECONDS);
	}

	/**
	 * Moves a session's expiry, after a refresh.
	 * @param expiresAt the new expiry, {@code null} for never
	 */
	void refresh(SessionState state, @Nullable Instant expiresAt) {
		cancel(state);
		state.expiresAt = expiresAt;
		schedule(state);
	}

	void cancel(SessionState state) {
		ScheduledFuture<?> check = state.expiryCheck;
		if (check != null) {
			check.cancel(false);
		}
	}

	private void check(SessionState state) {
		Instant expiresAt = state.expiresAt;
		if (expiresAt == null || state.isClosing() || !state.session.isOpen()) {
			return;
		}
		if (Instant.now().isBefore(expiresAt)) {
			schedule(state);
			return;
		}
		this.sessions.close(state, CloseReason.TOKEN_EXPIRED,
				"its token expired at " + expiresAt + " and was not refreshed", true);
	}

}
