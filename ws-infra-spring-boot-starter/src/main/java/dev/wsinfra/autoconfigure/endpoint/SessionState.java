package dev.wsinfra.autoconfigure.endpoint;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.autoconfigure.internal.CloseReason;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.internal.LogThrottle;
import dev.wsinfra.internal.LogValues;
import dev.wsinfra.security.WsPrincipal;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * What the library keeps about one session of a declared endpoint, held in a session
 * attribute: the session is the one the handler sees, a {@link SingleWriterSession} for
 * an unmanaged endpoint. Message assembly and the bad-message count belong to the
 * container's delivery thread; the other fields are read and written by the keepalive,
 * expiry and shutdown threads too, hence volatile.
 */
final class SessionState {

	static final String ATTRIBUTE = SessionState.class.getName();

	final WebSocketSession session;

	final String endpoint;

	final MessageAssembler assembler;

	// Set by the manager's connect hook, cleared by its disconnect hook: the id the
	// session was registered under, which its disconnect uses.
	volatile @Nullable String managedUserId;

	// Set by the manager's connect hook, never cleared: from then on the manager's writer
	// may be writing to the session, even after the disconnect, so the library writes
	// only through the manager.
	volatile boolean managerWrites;

	volatile @Nullable WsPrincipal principal;

	// When the session's token stops being valid, clock skew included; null
	// without token.
	volatile @Nullable Instant expiresAt;

	volatile @Nullable ScheduledFuture<?> expiryCheck;

	// Nanotime of the last frame received, read by the keepalive sweep.
	volatile long lastReceived;

	// Nanotime of the ping awaiting its pong, 0 when none is outstanding.
	volatile long pingSentAt;

	// Whether the handler saw afterConnectionEstablished, so it must see the close too.
	volatile boolean handlerOpened;

	// Delivery thread only.
	int badMessagesInARow;

	// Requests whose handler returned a stage that has not completed yet.
	final AtomicInteger pendingRequests = new AtomicInteger();

	final LogThrottle refusedRefreshes = new LogThrottle(TokenRefresh.REFUSALS_AT_INFO_EVERY);

	private final AtomicBoolean closing = new AtomicBoolean();

	private volatile @Nullable CloseReason closeReason;

	SessionState(WebSocketSession session, String endpoint, int maxMessageSize) {
		this.session = session;
		this.endpoint = endpoint;
		this.assembler = new MessageAssembler(maxMessageSize);
		this.lastReceived = System.nanoTime();
	}

	/**
	 * Returns a new user id for an anonymous session of a managed endpoint. Container
	 * session ids are small counters that restart with the JVM, so they would let an
	 * anonymous client share the id of a real user (and of anonymous clients of other
	 * instances): a random UUID under a prefix no real id is expected to use cannot.
	 */
	static String anonymousUserId() {
		return WsEndpoint.ANONYMOUS_USER_PREFIX + UUID.randomUUID();
	}

	static @Nullable SessionState of(WebSocketSession session) {
		return (session.getAttributes().get(ATTRIBUTE) instanceof SessionState state) ? state : null;
	}

	/**
	 * Marks the session as being closed by the library.
	 * @return whether this call was the first
	 */
	boolean startClosing(CloseReason reason) {
		if (this.closing.compareAndSet(false, true)) {
			this.closeReason = reason;
			return true;
		}
		return false;
	}

	/** Notes that a frame arrived: the session is alive, any ping is answered. */
	void received() {
		this.lastReceived = System.nanoTime();
		this.pingSentAt = 0;
	}

	boolean isClosing() {
		return this.closing.get();
	}

	@Nullable CloseReason closeReason() {
		return this.closeReason;
	}

	/**
	 * The user the session acts as, for logs: never a token or a query string, and
	 * escaped, since a token's issuer, not the library, chose it.
	 */
	String user() {
		WsPrincipal principal = this.principal;
		return (principal != null) ? LogValues.escape(principal.id()) : "anonymous";
	}

	/** The session, for logs. */
	String describe() {
		return "WebSocket session " + this.session.getId() + " of user " + user() + " on " + this.endpoint;
	}

}
