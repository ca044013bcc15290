package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.autoconfigure.internal.CloseReason;
import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.server.ConnectionManager;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * The open sessions of the declared endpoints, and what the library does to them on its
 * own: closes with a reason and frames of its own; {@link Keepalive} and
 * {@link TokenExpiry} run on its timer.
 * <p>
 * The container refuses a data frame while another one is being written, so each
 * session's data frames have one writer at a time. A session registered with the
 * connection manager is written to only through the manager, so that the library's frames
 * queue behind the application's; once the manager held it, even after its disconnect
 * while the manager still flushes, the library writes no data frame of its own to it. A
 * session of an unmanaged endpoint that the manager never held is written to through its
 * {@link SingleWriterSession}, which its handler writes through too, on a small pool of
 * daemon threads since a write may wait on the peer. Control frames (pings, closes) may
 * be written alongside. One timer thread runs the keepalive sweep and the expiry checks.
 */
final class EndpointSessions implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EndpointSessions.class);

	/**
	 * Tomcat's per-session bound on blocking writes, which include close and ping frames.
	 */
	private static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final ConnectionManager manager;

	private final EndpointObserver observer;

	private final int maxSessions;

	private final Duration closeTimeout;

	private final Map<String, SessionState> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private final ScheduledThreadPoolExecutor timer;

	private final ExecutorService io;

	private final TokenExpiry expiry;

	private volatile boolean shuttingDown;

	EndpointSessions(ConnectionManager manager, EndpointObserver observer, int maxSessions, Duration closeTimeout,
			@Nullable Duration pingInterval, Duration pingTimeout) {
		this.manager = manager;
		this.observer = observer;
		this.maxSessions = maxSessions;
		this.closeTimeout = closeTimeout;
		this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("ws-infra-session-timer"));
		this.timer.setRemoveOnCancelPolicy(true);
		ThreadPoolExecutor io = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				DaemonThreads.factory("ws-infra-io"));
		io.allowCoreThreadTimeOut(true);
		this.io = io;
		manager.onConnect((event) -> {
			SessionState state = SessionState.of(event.session());
			if (state != null) {
				state.managerWrites = true;
				state.managedUserId = event.userId();
			}
		});
		manager.onDisconnect((event) -> {
			SessionState state = SessionState.of(event.session());
			if (state != null) {
				state.managedUserId = null;
			}
		});
		this.expiry = new TokenExpiry(this, this.timer);
		if (pingInterval != null) {
			new Keepalive(this, manager, this.io).start(this.timer, pingInterval, pingTimeout);
		}
	}

	/**
	 * Starts tracking a session that just opened.
	 * @return whether the instance has room for it
	 */
	boolean register(SessionState state) {
		WebSocketSession target = WebSocketSessionDecorator.unwrap(state.session);
		if (target instanceof NativeWebSocketSession nativeSession) {
			Session jakartaSession = nativeSession.getNativeSession(Session.class);
			if (jakartaSession != null) {
				jakartaSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT, this.closeTimeout.toMillis());
			}
		}
		this.sessions.put(state.session.getId(), state);
		return this.maxSessions <= 0 || this.open.incrementAndGet() <= this.maxSessions || releaseSlot();
	}

	private boolean releaseSlot() {
		this.open.decrementAndGet();
		return false;
	}

	void unregister(SessionState state) {
		if (this.sessions.remove(state.session.getId(), state) && this.maxSessions > 0
				&& state.closeReason() != CloseReason.INSTANCE_CAPACITY) {
			this.open.decrementAndGet();
		}
		this.expiry.cancel(state);
	}

	/**
	 * Returns the session the handler of an unmanaged endpoint gets, whose writes take
	 * turns with the library's.
	 */
	WebSocketSession singleWriter(WebSocketSession session) {
		return new SingleWriterSession(session, this.closeTimeout);
	}

	/**
	 * Returns whether a new handshake would find room on this instance.
	 */
	boolean hasCapacity() {
		return this.maxSessions <= 0 || this.open.get() < this.maxSessions;
	}

	boolean isShuttingDown() {
		return this.shuttingDown;
	}

	void startShutdown() {
		this.shuttingDown = true;
	}

	void endShutdown() {
		this.shuttingDown = false;
	}

	int size() {
		return this.sessions.size();
	}

	/**
	 * Returns the token expiry of the sessions.
	 */
	TokenExpiry expiry() {
		return this.expiry;
	}

	/**
	 * Returns the sessions' timer, for short tasks such as request timeouts.
	 */
	ScheduledExecutorService timer() {
		return this.timer;
	}

	/**
	 * Returns a live view of the open sessions, for sweeps.
	 */
	Collection<SessionState> open() {
		return this.sessions.values();
	}

	List<SessionState> snapshot() {
		return new ArrayList<>(this.sessions.values());
	}

	/**
	 * Closes a session for a reason, once: counted, logged unless {@code log} is false
	 * (the caller then logs in aggregate), through the manager when it holds the session.
	 */
	void close(SessionState state, CloseReason reason, String detail, boolean log) {
		close(state, reason, detail, log, null);
	}

	/**
	 * Closes a session as {@link #close(SessionState, CloseReason, String, boolean)}
	 * does, after a last text message of the library's own.
	 */
	void close(SessionState state, CloseReason reason, String detail, boolean log, @Nullable String lastMessage) {
		if (!state.startClosing(reason)) {
			return;
		}
		this.observer.closed(reason);
		if (log) {
			String message = "Closing " + state.describe() + " with " + reason.status().getCode() + " ("
					+ reason.status().getReason() + "): " + detail;
			if (reason.isWarning()) {
				logger.warn(message);
			}
			else {
				logger.info(message);
			}
		}
		this.expiry.cancel(state);
		String user = state.managedUserId;
		if (user != null && (lastMessage == null || this.manager.send(state.session, lastMessage))) {
			this.manager.disconnect(user, state.session, reason.status());
			return;
		}
		this.io.execute(() -> {
			if (lastMessage != null) {
				writeOwn(state, new TextMessage(lastMessage));
			}
			closeQuietly(state.session, reason.status());
		});
	}

	/**
	 * Sends a text message of the library's own, such as an error or a refresh reply; a
	 * best effort that never throws.
	 */
	void send(SessionState state, String text) {
		String user = state.managedUserId;
		if (user != null && this.manager.send(state.session, text)) {
			return;
		}
		this.io.execute(() -> writeOwn(state, new TextMessage(text)));
	}

	/**
	 * Writes a data frame of the library's through the session's single writer, or drops
	 * it when the session's writes belong to the connection manager, which no longer
	 * takes them (the session is closing).
	 */
	private static void writeOwn(SessionState state, WebSocketMessage<?> message) {
		WebSocketSession session = state.session;
		if (!(session instanceof SingleWriterSession writer) || state.managerWrites) {
			if (logger.isDebugEnabled()) {
				logger.debug("Dropped a message of the library's to " + state.describe()
						+ ": the connection manager, which writes to it, no longer holds it");
			}
			return;
		}
		if (!writer.isOpen()) {
			return;
		}
		try {
			writer.sendOwn(message);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Write to WebSocket session " + writer.getId() + " failed", ex);
		}
	}

	private static void closeQuietly(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Close of WebSocket session " + session.getId() + " failed", ex);
		}
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
		this.io.shutdown();
	}

}
