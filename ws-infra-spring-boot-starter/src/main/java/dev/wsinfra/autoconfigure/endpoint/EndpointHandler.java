package dev.wsinfra.autoconfigure.endpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.autoconfigure.internal.CloseReason;
import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.endpoint.WsConnectionMetadata;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.internal.LogValues;
import dev.wsinfra.internal.ReceivingThread;
import dev.wsinfra.security.WsPrincipal;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.RoomAccessDeniedException;
import dev.wsinfra.server.TooManyConnectionsException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Wraps the handler of one declared endpoint: registers sessions with the instance and,
 * for a managed endpoint, with the connection manager; receives messages in parts,
 * through small container buffers, and hands whole ones to the handler; enforces the
 * message size limit, the token's expiry and the bad-message limit; and turns handler
 * failures into a reasoned close.
 */
final class EndpointHandler extends WebSocketHandlerDecorator {

	private static final Log logger = LogFactory.getLog(EndpointHandler.class);

	private static final int MAX_ERROR_DETAIL = 200;

	private final WsRoutes.Route route;

	private final ConnectionManager manager;

	private final EndpointSessions sessions;

	private final EndpointObserver observer;

	private final TokenRefresh refresh;

	private final ClientProtocol protocol;

	private final JsonMapper jsonMapper;

	private final int maxMessageSize;

	private final int messageBufferSize;

	private final int maxBadMessages;

	private final boolean partialMessages;

	private final @Nullable WsConnectionMetadata contributor;

	EndpointHandler(WsRoutes.Route route, ConnectionManager manager, EndpointSessions sessions,
			EndpointObserver observer, TokenRefresh refresh, ClientProtocol protocol, JsonMapper jsonMapper,
			int maxMessageSize, int messageBufferSize, int maxBadMessages, boolean partialMessages) {
		super(route.handler());
		this.route = route;
		this.manager = manager;
		this.sessions = sessions;
		this.observer = observer;
		this.refresh = refresh;
		this.protocol = protocol;
		this.jsonMapper = jsonMapper;
		this.maxMessageSize = maxMessageSize;
		this.messageBufferSize = messageBufferSize;
		this.maxBadMessages = maxBadMessages;
		this.partialMessages = partialMessages;
		this.contributor = contributor(route.handler());
	}

	private static @Nullable WsConnectionMetadata contributor(WebSocketHandler handler) {
		if (handler instanceof WsConnectionMetadata contributor) {
			return contributor;
		}
		return (WebSocketHandlerDecorator.unwrap(handler) instanceof WsConnectionMetadata contributor) ? contributor
				: null;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		// The container's buffers may be larger, for the application's other
		// endpoints; the container applies these from the session's next message on
		// (see ContainerBuffers).
		session.setTextMessageSizeLimit(this.messageBufferSize);
		session.setBinaryMessageSizeLimit(this.messageBufferSize);
		// The handler of an unmanaged endpoint writes to its session itself, so it
		// shares the session's writes with the library; a managed one writes through
		// the manager.
		WebSocketSession handlerSession = this.route.managed() ? session : this.sessions.singleWriter(session);
		SessionState state = new SessionState(handlerSession, this.route.path(), this.maxMessageSize);
		state.principal = WsPrincipal.find(session).orElse(null);
		if (session.getAttributes().get(EndpointHandshakeInterceptor.EXPIRES_AT_ATTRIBUTE) instanceof Instant expiry) {
			state.expiresAt = expiry;
		}
		session.getAttributes().put(SessionState.ATTRIBUTE, state);
		if (!this.sessions.register(state)) {
			this.sessions.close(state, CloseReason.INSTANCE_CAPACITY,
					"the instance reached ws.max-connections-per-instance", true);
			return;
		}
		if (this.route.managed() && !connect(state)) {
			return;
		}
		this.sessions.expiry().schedule(state);
		state.handlerOpened = true;
		try {
			getDelegate().afterConnectionEstablished(state.session);
		}
		catch (TooManyConnectionsException ex) {
			tooManyConnections(state, ex);
		}
		catch (RoomAccessDeniedException ex) {
			roomAccessDenied(state, ex);
		}
		catch (Exception ex) {
			handlerFailed(state, ex);
		}
	}

	/**
	 * Registers the session of a managed endpoint with the connection manager, with the
	 * metadata the handler contributes.
	 * @return whether it was registered; if not, it is closing
	 */
	private boolean connect(SessionState state) {
		WebSocketSession session = state.session;
		WsPrincipal principal = state.principal;
		String userId = (principal != null) ? principal.id() : SessionState.anonymousUserId();
		session.getAttributes().put(WsEndpoint.USER_ID_ATTRIBUTE, userId);
		Map<String, Object> metadata = new LinkedHashMap<>();
		if (this.contributor != null) {
			try {
				metadata.putAll(this.contributor.metadata(session));
			}
			catch (IllegalArgumentException ex) {
				this.sessions.close(state, CloseReason.CONNECTION_REFUSED,
						"its metadata was refused: " + LogValues.escape(ex.getMessage()), true);
				return false;
			}
			catch (RuntimeException ex) {
				handlerFailed(state, ex);
				return false;
			}
		}
		metadata.put("endpoint", this.route.path());
		try {
			String connectionId = this.manager.connect(userId, session, metadata);
			session.getAttributes().put(WsEndpoint.CONNECTION_ID_ATTRIBUTE, connectionId);
			return true;
		}
		catch (TooManyConnectionsException ex) {
			tooManyConnections(state, ex);
			return false;
		}
	}

	/**
	 * The client asked for a room it may not join and the handler let the refusal escape:
	 * the client's doing, not a server error.
	 */
	private void roomAccessDenied(SessionState state, RoomAccessDeniedException ex) {
		this.sessions.close(state, CloseReason.ROOM_ACCESS_DENIED,
				"the room authorizer refused room " + LogValues.escape(ex.room()), true);
	}

	private void tooManyConnections(SessionState state, TooManyConnectionsException ex) {
		this.sessions.close(state, CloseReason.TOO_MANY_CONNECTIONS,
				"the user already holds " + ex.limit() + " connections (ws.max-connections-per-user)", true);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
		SessionState state = SessionState.of(session);
		if (state == null) {
			return;
		}
		state.received();
		if (state.isClosing()) {
			return;
		}
		if (message instanceof PongMessage) {
			deliver(state, message, null);
			return;
		}
		if (getDelegate().supportsPartialMessages()) {
			boolean whole = message.isLast() && !state.assembler.passingThrough();
			try {
				state.assembler.passThrough(message);
			}
			catch (MessageTooLargeException ex) {
				tooBig(state, ex);
				return;
			}
			// The library's messages are recognised when they come in one piece, as
			// clients send them.
			if (whole && isLibraryMessage(state, message)) {
				return;
			}
			deliver(state, message, type(message));
			return;
		}
		WebSocketMessage<?> whole;
		try {
			whole = assemble(state, message);
		}
		catch (MessageTooLargeException ex) {
			tooBig(state, ex);
			return;
		}
		if (whole == null) {
			return;
		}
		if (isLibraryMessage(state, whole)) {
			return;
		}
		deliver(state, whole, type(whole));
	}

	// Answers a token refresh of a session whose token expires, a heartbeat or a
	// request; the handler never sees them.
	private boolean isLibraryMessage(SessionState state, WebSocketMessage<?> whole) {
		if (!(whole instanceof TextMessage text)) {
			return false;
		}
		if (state.expiresAt != null && this.refresh.handles(state, text)) {
			return true;
		}
		// Replies leave before the container reads the next frame, as in deliver.
		String previous = ReceivingThread.enter(state.session.getId());
		try {
			return this.protocol.handles(state, text);
		}
		finally {
			ReceivingThread.exit(previous);
		}
	}

	private @Nullable WebSocketMessage<?> assemble(SessionState state, WebSocketMessage<?> message) {
		if (message instanceof TextMessage text) {
			return state.assembler.text(text);
		}
		if (message instanceof BinaryMessage binary) {
			return state.assembler.binary(binary);
		}
		return message;
	}

	private void tooBig(SessionState state, MessageTooLargeException ex) {
		this.sessions.close(state, CloseReason.MESSAGE_TOO_BIG,
				"a message of at least " + ex.size() + " bytes exceeded ws.max-message-size (" + ex.limit() + " bytes)",
				true);
	}

	private void deliver(SessionState state, WebSocketMessage<?> message, @Nullable String type) {
		long start = System.nanoTime();
		// Replies, the library's error messages included, leave before the container
		// reads the next frame, which may make it close the session at once (1002).
		String previous = ReceivingThread.enter(state.session.getId());
		try {
			getDelegate().handleMessage(state.session, message);
			state.badMessagesInARow = 0;
		}
		catch (RoomAccessDeniedException ex) {
			roomAccessDenied(state, ex);
		}
		catch (Exception ex) {
			JacksonException jackson = jacksonCause(ex);
			if (jackson != null) {
				badMessage(state, jackson);
			}
			else {
				handlerFailed(state, ex);
			}
		}
		finally {
			ReceivingThread.exit(previous);
			if (type != null) {
				this.observer.messageReceived(type, System.nanoTime() - start);
			}
		}
	}

	private void badMessage(SessionState state, JacksonException ex) {
		state.badMessagesInARow++;
		if (this.maxBadMessages > 0 && state.badMessagesInARow >= this.maxBadMessages) {
			this.sessions.close(state, CloseReason.BAD_MESSAGE,
					state.badMessagesInARow + " bad messages in a row (ws.max-bad-messages)", true);
			return;
		}
		String prefix = (ex instanceof StreamReadException) ? "Malformed JSON: " : "Invalid message: ";
		this.sessions.send(state, error("bad_message", prefix + ex.getOriginalMessage()));
	}

	private void handlerFailed(SessionState state, Exception ex) {
		if (!state.isClosing()) {
			logger.warn("Closing " + state.describe() + " with 1011 (Server error): its handler failed", ex);
		}
		this.sessions.close(state, CloseReason.SERVER_ERROR, "its handler failed", false);
	}

	String error(String code, @Nullable String detail) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("type", "error");
		error.put("error", code);
		String message = (detail != null) ? detail : code;
		error.put("message",
				(message.length() > MAX_ERROR_DETAIL) ? message.substring(0, MAX_ERROR_DETAIL) + "…" : message);
		return this.jsonMapper.writeValueAsString(error);
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) throws Exception {
		SessionState state = SessionState.of(session);
		getDelegate().handleTransportError((state != null) ? state.session : session, exception);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
		SessionState state = SessionState.of(session);
		if (state == null) {
			getDelegate().afterConnectionClosed(session, closeStatus);
			return;
		}
		this.sessions.unregister(state);
		String userId = state.managedUserId;
		if (userId != null) {
			this.manager.disconnect(userId, state.session, closeStatus);
		}
		if (state.handlerOpened) {
			getDelegate().afterConnectionClosed(state.session, closeStatus);
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return this.partialMessages;
	}

	private static @Nullable String type(WebSocketMessage<?> message) {
		if (message instanceof TextMessage) {
			return "text";
		}
		return (message instanceof BinaryMessage) ? "binary" : null;
	}

	private static @Nullable JacksonException jacksonCause(Throwable ex) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 8; depth++) {
			if (current instanceof JacksonException jackson) {
				return jackson;
			}
			current = current.getCause();
		}
		return null;
	}

}
