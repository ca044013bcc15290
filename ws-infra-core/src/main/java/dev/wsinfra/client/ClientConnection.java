package dev.wsinfra.client;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.WebSocketException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.client.internal.ClientThreads;
import dev.wsinfra.client.internal.FrameGuard;
import dev.wsinfra.client.internal.InboundQueue;
import dev.wsinfra.client.internal.Keepalive;
import dev.wsinfra.client.internal.OutboundQueue;
import dev.wsinfra.client.internal.ReadPause;
import dev.wsinfra.client.internal.RetryPolicy;
import dev.wsinfra.client.internal.TransportControl;
import dev.wsinfra.client.internal.TyrusConnector;
import dev.wsinfra.client.internal.TyrusSessions;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.internal.Utf8;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The state machine behind one {@link WebSocketClient}: connecting, the queues, keepalive
 * and the close handshake. Every method is safe to call from any thread.
 */
final class ClientConnection implements FrameGuard.Events {

	private static final Log logger = LogFactory.getLog(WebSocketClient.class);

	/** What ended the connection from this side, once a close has started. */
	private record Closing(int code, String reason, boolean byApplication, @Nullable Throwable cause) {
	}

	private final ClientSettings settings;

	private final ReadPause pause = new ReadPause();

	private final InboundQueue inbound;

	private final OutboundQueue outbound;

	private final TransportControl control;

	private final CountDownLatch closed = new CountDownLatch(1);

	private final ListenerCalls listener;

	// Guards the state transitions below.
	private final Object lock = new Object();

	private volatile ConnectionState state = ConnectionState.DISCONNECTED;

	// Written under lock.
	private volatile boolean connectStarted;

	// Written under lock, once, when a close starts from this side.
	private volatile @Nullable Closing closing;

	// Guarded by lock: whether close() was called while connecting and left the handshake
	// to connect().
	private boolean closeDeferred;

	private volatile InboundQueue.@Nullable End end;

	private volatile @Nullable Session session;

	private volatile @Nullable Keepalive keepalive;

	// Set once Tyrus opened the session: only then does a listener hear of the close.
	private volatile boolean opened;

	// Whether permessage-deflate is in use: the frame guard then sees compressed sizes
	// only, and each message is checked against the limit once inflated.
	private volatile boolean inflating;

	ClientConnection(WebSocketClient owner, ClientSettings settings) {
		this.settings = settings;
		this.listener = new ListenerCalls(owner, settings.listener());
		WebSocketConfig config = settings.config();
		this.inbound = new InboundQueue(config.maxQueueSize(), this.pause);
		this.outbound = new OutboundQueue(config.maxSendQueueSize(),
				(message, done) -> TyrusSessions.write(currentSession(), message, done), this::sendFailed);
		this.control = new TransportControl(config.maxMessageSize(), this);
	}

	void connect() {
		synchronized (this.lock) {
			if (this.connectStarted || this.state != ConnectionState.DISCONNECTED) {
				throw new IllegalStateException("connect() may be called once; build a new client to connect again");
			}
			this.connectStarted = true;
			this.state = ConnectionState.CONNECTING;
		}
		WebSocketConfig config = this.settings.config();
		Session opened;
		try {
			opened = TyrusConnector.connect(this.settings.uri(), new TyrusEndpoint(), this.settings.headers(),
					this.settings.subprotocols(), this.settings.sslContext(), this.settings.permessageDeflate(),
					config.openTimeout(), config.maxMessageSize(), this.control);
		}
		catch (ConnectionFailedException ex) {
			synchronized (this.lock) {
				this.state = (this.closing != null) ? ConnectionState.CLOSED : ConnectionState.DISCONNECTED;
			}
			end(1006, "Connection failed", ex);
			throw ex;
		}
		this.session = opened;
		Closing closeRequested;
		synchronized (this.lock) {
			if (this.state == ConnectionState.CONNECTING) {
				this.state = ConnectionState.CONNECTED;
			}
			closeRequested = (this.state == ConnectionState.CLOSING && this.closeDeferred) ? this.closing : null;
		}
		config.pingInterval().ifPresent(this::startKeepalive);
		if (closeRequested != null) {
			runCloseHandshake(closeRequested, true);
		}
	}

	private void startKeepalive(Duration interval) {
		Keepalive pinger = new Keepalive(interval, this.settings.config().pingTimeout(), ClientThreads.timer(),
				(payload) -> currentSession().getAsyncRemote().sendPing(payload), this.pause,
				() -> ClientThreads.workers().execute(this::keepaliveTimedOut));
		this.keepalive = pinger;
		if (this.state == ConnectionState.CONNECTED) {
			pinger.start();
		}
	}

	/**
	 * Closes with 1009 for a message whose inflated size exceeds the limit, as the frame
	 * guard does for one whose size on the wire does.
	 */
	private boolean inflatedTooLarge(WebSocketMessage message) {
		int limit = this.settings.config().maxMessageSize();
		long size = message.isText() ? Utf8.encodedLength(message.text()) : message.size();
		if (size <= limit) {
			return false;
		}
		messageTooLarge(size);
		return true;
	}

	// Sending

	boolean send(Object payload, long size) {
		ConnectionState current = this.state;
		if (current == ConnectionState.DISCONNECTED || current == ConnectionState.CONNECTING) {
			throw new IllegalStateException("Not connected: connect() first");
		}
		if (current != ConnectionState.CONNECTED) {
			throw closedException();
		}
		int limit = this.settings.config().maxMessageSize();
		if (size > limit) {
			throw new MessageTooLargeException(size, limit);
		}
		return this.outbound.offer(payload);
	}

	int queueSize() {
		return this.outbound.size();
	}

	private void sendFailed(Throwable failure) {
		Session current = this.session;
		if (current != null && !current.isOpen()) {
			// Tyrus closed the session, and reports why through the endpoint right after
			return;
		}
		this.listener.error(failure);
		fail(1006, "Sending failed", failure, false);
	}

	// Receiving

	@Nullable WebSocketMessage receive(long timeoutNanos, boolean quietAtCleanEnd) {
		if (this.listener.isPresent()) {
			throw new IllegalStateException("Messages go to this client's listener: recv and iteration are off");
		}
		if (!this.connectStarted) {
			throw new IllegalStateException("Not connected: connect() first");
		}
		try {
			return this.inbound.next(timeoutNanos, quietAtCleanEnd);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WebSocketException("Interrupted while waiting for a message", ex);
		}
	}

	private void received(WebSocketMessage message) {
		transportReady();
		if (this.inflating && inflatedTooLarge(message)) {
			return;
		}
		if (!this.listener.isPresent()) {
			this.inbound.offer(message);
			return;
		}
		if (this.state != ConnectionState.CONNECTED && this.state != ConnectionState.CONNECTING) {
			return;
		}
		RuntimeException failure;
		this.pause.pause();
		try {
			failure = this.listener.message(message);
		}
		finally {
			this.pause.resume();
		}
		if (failure != null) {
			ClientThreads.workers().execute(() -> fail(1011, "Listener failed", failure, true));
		}
	}

	/**
	 * A message came through the frame guard, so the transport is in place: a message
	 * that arrived with the handshake may reach the listener before {@code connect}
	 * returns, and its reply must go out.
	 */
	private void transportReady() {
		if (this.state == ConnectionState.CONNECTING) {
			synchronized (this.lock) {
				if (this.state == ConnectionState.CONNECTING) {
					this.state = ConnectionState.CONNECTED;
				}
			}
		}
	}

	// Closing

	void close(int code, String reason) {
		Closing request = new Closing(code, reason, true, null);
		ConnectionState before;
		synchronized (this.lock) {
			before = this.state;
			if (before == ConnectionState.DISCONNECTED || before == ConnectionState.CONNECTING
					|| before == ConnectionState.CONNECTED) {
				this.closing = request;
				this.state = (before != ConnectionState.DISCONNECTED) ? ConnectionState.CLOSING
						: ConnectionState.CLOSED;
				this.closeDeferred = (before == ConnectionState.CONNECTING);
			}
		}
		switch (before) {
			case DISCONNECTED -> end(code, reason, null);
			case CONNECTED -> runCloseHandshake(request, true);
			default -> awaitClosed(this.settings.config().closeTimeout().plus(this.settings.config().openTimeout()));
		}
	}

	/**
	 * The close handshake: stop reading messages, let queued ones go out, send the close
	 * frame, wait for the peer's, then close TCP, all within closeTimeout.
	 */
	private void runCloseHandshake(Closing request, boolean flush) {
		long deadline = System.nanoTime() + this.settings.config().closeTimeout().toNanos();
		this.inbound.stopAccepting();
		if (flush) {
			try {
				this.outbound.awaitDrained(deadline);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		long left = sendClose(request, deadline);
		if (!this.listener.isCallingThread()) {
			// the listener's own thread reads the peer's close only after the
			// callback returns
			awaitClosed(Duration.ofNanos(left).plusSeconds(1));
		}
	}

	/**
	 * Sends the close frame; TCP is closed when the peer's arrives or the deadline
	 * passes.
	 */
	private long sendClose(Closing request, long deadline) {
		this.outbound.discard();
		stopKeepalive();
		this.control.sendClose(request.code(), request.reason());
		long left = Math.max(0, deadline - System.nanoTime());
		ClientThreads.timer()
			.schedule(() -> ClientThreads.workers().execute(() -> teardown(request)), left, TimeUnit.NANOSECONDS);
		return left;
	}

	private void awaitClosed(Duration timeout) {
		try {
			this.closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void messageTooLarge(long size) {
		MessageTooLargeException failure = new MessageTooLargeException(size, this.settings.config().maxMessageSize());
		Closing request = new Closing(1009, "Message too big", false, failure);
		if (startClosing(request)) {
			this.inbound.fail(failure);
			this.listener.error(failure);
			sendClose(request, System.nanoTime() + this.settings.config().closeTimeout().toNanos());
		}
	}

	@Override
	public void invalidFrame(int code, String reason) {
		// the rest of the stream may not even parse, so the peer's close cannot be waited
		// for: fail the connection (RFC 6455, 7.1.7)
		fail(code, reason, null, true);
	}

	@Override
	public void peerClosed(int code, String reason) {
		Closing request = this.closing;
		if (request != null) {
			teardown(request);
		}
	}

	private void keepaliveTimedOut() {
		logger.debug("No pong within the ping timeout, closing the connection as dead");
		fail(1011, "keepalive ping timeout", null, true);
	}

	/**
	 * Fails the connection: TCP is closed at once, without waiting for the peer, after a
	 * close frame when one can still be written.
	 */
	private void fail(int code, String reason, @Nullable Throwable cause, boolean sendCloseFrame) {
		Closing request = new Closing(code, reason, false, cause);
		if (startClosing(request)) {
			this.inbound.stopAccepting();
			this.outbound.discard();
			stopKeepalive();
			if (sendCloseFrame) {
				this.control.sendClose(code, reason);
			}
			teardown(request);
		}
	}

	private boolean startClosing(Closing request) {
		synchronized (this.lock) {
			if (this.state != ConnectionState.CONNECTED && this.state != ConnectionState.CONNECTING) {
				return false;
			}
			this.closing = request;
			this.state = ConnectionState.CLOSING;
			return true;
		}
	}

	private void teardown(Closing request) {
		if (this.end == null) {
			this.control.teardown(request.code(), request.reason());
			// Tyrus reports the close through the endpoint; this covers a transport
			// already gone
			end(request.code(), request.reason(), request.cause());
		}
	}

	/** Records the end of the connection; the first call wins. */
	private void end(int code, String reason, @Nullable Throwable cause) {
		Closing request;
		InboundQueue.End ended;
		synchronized (this.lock) {
			if (this.end != null) {
				return;
			}
			request = this.closing;
			int endCode = (request != null) ? request.code() : code;
			String endReason = (request != null) ? request.reason() : reason;
			Throwable endCause = (request != null && request.cause() != null) ? request.cause() : cause;
			boolean clean = (request != null && request.byApplication()) || endCode == 1000 || endCode == 1001
					|| (this.settings.reconnecting() && !RetryPolicy.isTerminalCloseCode(endCode));
			ended = new InboundQueue.End(endCode, endReason, endCause, clean);
			this.end = ended;
			if (this.state != ConnectionState.DISCONNECTED) {
				this.state = ConnectionState.CLOSED;
			}
		}
		stopKeepalive();
		this.outbound.discard();
		this.inbound.end(ended);
		this.closed.countDown();
		if (this.opened) {
			this.listener.close(ended.code(), ended.reason());
		}
	}

	private void stopKeepalive() {
		Keepalive pinger = this.keepalive;
		if (pinger != null) {
			pinger.stop();
		}
	}

	// Properties

	ConnectionState state() {
		return this.state;
	}

	Optional<Duration> latency() {
		Keepalive pinger = this.keepalive;
		return (pinger != null) ? pinger.latency() : Optional.empty();
	}

	List<String> extensions() {
		return TyrusSessions.extensions(this.session);
	}

	Optional<String> subprotocol() {
		return TyrusSessions.subprotocol(this.session);
	}

	InboundQueue.@Nullable End closure() {
		return this.end;
	}

	boolean closedByApplication() {
		Closing request = this.closing;
		return request != null && request.byApplication();
	}

	private ConnectionClosedException closedException() {
		InboundQueue.End ended = this.end;
		if (ended != null) {
			return ended.toException();
		}
		Closing request = this.closing;
		return (request != null) ? new ConnectionClosedException(request.code(), request.reason())
				: new ConnectionClosedException(1006, "");
	}

	private Session currentSession() {
		Session current = this.session;
		if (current == null) {
			throw new IllegalStateException("Not connected");
		}
		return current;
	}

	URI uri() {
		return this.settings.uri();
	}

	/** Tyrus's view of the connection. */
	private final class TyrusEndpoint extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			ClientConnection.this.session = session;
			ClientConnection.this.inflating = !session.getNegotiatedExtensions().isEmpty();
			// Fragmented messages are assembled by Tyrus within this bound as they
			// inflate.
			int limit = ClientConnection.this.settings.config().maxMessageSize();
			session.setMaxTextMessageBufferSize(limit);
			session.setMaxBinaryMessageBufferSize(limit);
			ClientConnection.this.opened = true;
			TyrusSessions.receive(session, ClientConnection.this::received, (payload) -> {
				Keepalive pinger = ClientConnection.this.keepalive;
				if (pinger != null) {
					pinger.pong(payload);
				}
			});
		}

		@Override
		public void onClose(Session session, CloseReason reason) {
			end(reason.getCloseCode().getCode(), (reason.getReasonPhrase() != null) ? reason.getReasonPhrase() : "",
					null);
		}

		@Override
		public void onError(Session session, Throwable error) {
			if (!(error instanceof IOException)) {
				logger.debug("WebSocket transport error", error);
			}
			ClientConnection.this.listener.error(error);
		}

	}

}
