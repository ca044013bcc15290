package dev.wsinfra.autoconfigure.realtime;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.security.WsPrincipal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The relay endpoint's handler: opens a {@link RelaySession} for each browser connection
 * within the session limits, hands it the browser's messages, and ends it when the
 * browser leaves. Its timer closes sessions that are idle, too old, or waiting for a
 * provider that does not answer.
 */
final class RealtimeRelayHandler implements WebSocketHandler, DisposableBean {

	private static final Log logger = LogFactory.getLog(RealtimeRelayHandler.class);

	private static final String ATTRIBUTE = RelaySession.class.getName();

	private final Relay relay;

	private final Map<String, RelaySession> sessions = new ConcurrentHashMap<>();

	RealtimeRelayHandler(Relay relay) {
		this.relay = relay;
		long period = sweepPeriod(relay.properties).toMillis();
		relay.timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
	}

	/** A quarter of the shortest limit, between 50 ms and 1 s. */
	static Duration sweepPeriod(WsRealtimeProperties properties) {
		Duration shortest = properties.providerTimeout();
		for (Duration limit : new Duration[] { properties.idleTimeout(), properties.maxDuration() }) {
			if (!limit.isZero() && limit.compareTo(shortest) < 0) {
				shortest = limit;
			}
		}
		long millis = Math.max(50, Math.min(1000, shortest.toMillis() / 4));
		return Duration.ofMillis(millis);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		String userId = WsPrincipal.find(session)
			.map(WsPrincipal::id)
			.orElseGet(() -> WsEndpoint.ANONYMOUS_USER_PREFIX + session.getId());
		RelayClose refusal = this.relay.limits.acquire(userId);
		if (refusal != null) {
			refuse(session, refusal);
			return;
		}
		RelaySession relaySession = new RelaySession(session, userId, this.relay);
		session.getAttributes().put(ATTRIBUTE, relaySession);
		this.sessions.put(session.getId(), relaySession);
		this.relay.observer.opened();
		relaySession.start();
	}

	private void refuse(WebSocketSession session, RelayClose refusal) {
		this.relay.observer.closed(refusal);
		String detail = (refusal == RelayClose.TOO_MANY_SESSIONS)
				? "This user already holds the most realtime sessions allowed"
				: "This instance holds the most realtime sessions allowed; try again later";
		logger.info("Refused a realtime session of " + session.getId() + ": " + refusal.status().getReason());
		try {
			session.sendMessage(new TextMessage(RelayErrors.error(refusal.tag(), detail)));
			session.close(refusal.status());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Refusal of realtime session " + session.getId() + " failed", ex);
		}
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		RelaySession relaySession = of(session);
		if (relaySession != null) {
			relaySession.fromClient(message);
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on realtime session " + session.getId() + ": " + exception);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		RelaySession relaySession = of(session);
		if (relaySession == null || this.sessions.remove(session.getId()) == null) {
			return;
		}
		relaySession.clientClosed(closeStatus.getCode());
		this.relay.limits.release(relaySession.userId);
	}

	@Override
	public boolean supportsPartialMessages() {
		return false;
	}

	private static @Nullable RelaySession of(WebSocketSession session) {
		return (session.getAttributes().get(ATTRIBUTE) instanceof RelaySession relaySession) ? relaySession : null;
	}

	private void sweep() {
		long now = System.nanoTime();
		WsRealtimeProperties properties = this.relay.properties;
		long idle = properties.idleTimeout().toNanos();
		long max = properties.maxDuration().toNanos();
		long reply = properties.providerTimeout().toNanos();
		for (RelaySession session : this.sessions.values()) {
			if (session.isEnded()) {
				continue;
			}
			long due = session.replyDueSince;
			if (due != 0 && now - due > reply) {
				session.stalled("The provider did not answer within " + properties.providerTimeout());
			}
			else if (max > 0 && now - session.startedAt > max) {
				session.end(RelayClose.MAX_DURATION, RelayErrors.error("max_duration",
						"The session reached its time limit of " + properties.maxDuration()));
			}
			else if (idle > 0 && now - session.lastActivity > idle) {
				session.end(RelayClose.IDLE_TIMEOUT,
						RelayErrors.error("idle_timeout", "The session was idle for " + properties.idleTimeout()));
			}
		}
	}

	@Override
	public void destroy() {
		this.relay.shutdown();
	}

}
