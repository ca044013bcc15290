package dev.wsinfra.samples.support;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.wsinfra.endpoint.WsConnectionMetadata;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.redis.PresenceConnection;
import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.UserPresence;
import dev.wsinfra.security.WsPrincipal;
import dev.wsinfra.server.ConnectionInfo;
import dev.wsinfra.server.ConnectionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Base of the examples' protected endpoints that speak JSON objects. They are managed
 * endpoints: the library registers each session with the {@link ConnectionManager} under
 * the principal's id, with metadata that names the endpoint and holds what a subclass
 * contributes through {@link WsConnectionMetadata}, so that this class can tell later
 * whether a user still has another connection to the same endpoint, room or document, on
 * any instance.
 * <p>
 * Bad input never closes the connection here:
 * <ul>
 * <li>malformed JSON is parsed by Jackson, whose exception reaches the library, which
 * answers {@code {"type":"error","error":"bad_message",…}} and closes with 1008 after
 * {@code ws.max-bad-messages} of them in a row;</li>
 * <li>JSON that is not an object, an unknown {@code type} or a missing field is answered
 * with {@code {"type":"error","error":"invalid_message"|"unknown_type",…}};</li>
 * <li>a binary frame is answered with
 * {@code {"type":"error","error":"unsupported",…}}.</li>
 * </ul>
 * Nor does an outage of the shared state: while Redis does not answer, a message (or a
 * new connection) that needs it is answered
 * {@code {"type":"error","error":"unavailable",…}} and the connection stays open; a close
 * still runs its clean-up as far as it can. Every such endpoint answers the heartbeat
 * {@code {"type":"ping"}} with {@code {"type":"pong"}}. A path variable that fails
 * {@link #metadata} closes the connection with 1008 before it is registered. Replies go
 * through {@link ConnectionManager#send}, never {@code session.sendMessage}: a registered
 * session is written by the manager's queue, which a direct write would race with.
 */
public abstract class JsonEndpointHandler extends TextWebSocketHandler implements WsConnectionMetadata {

	/**
	 * The error code of a message or connection that needs Redis while it does not
	 * answer.
	 */
	public static final String UNAVAILABLE = "unavailable";

	private static final Log logger = LogFactory.getLog(JsonEndpointHandler.class);

	protected final ConnectionManager manager;

	protected final JsonMapper jsonMapper;

	private final String endpoint;

	/**
	 * Creates a handler.
	 * @param manager the connection manager
	 * @param jsonMapper reads the messages
	 * @param endpoint the endpoint's path pattern, which the library keeps in each
	 * connection's metadata
	 */
	protected JsonEndpointHandler(ConnectionManager manager, JsonMapper jsonMapper, String endpoint) {
		this.manager = manager;
		this.jsonMapper = jsonMapper;
		this.endpoint = endpoint;
	}

	@Override
	public final void afterConnectionEstablished(WebSocketSession session) {
		try {
			opened(session, userOf(session));
		}
		catch (DataAccessException ex) {
			sendUnavailable(session, ex);
		}
	}

	@Override
	public final void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		if (session.getAttributes().get(WsEndpoint.CONNECTION_ID_ATTRIBUTE) instanceof String) {
			try {
				closed(session, userOf(session));
			}
			catch (DataAccessException ex) {
				logger.warn("Clean-up after a connection to " + this.endpoint
						+ " stopped early: Redis does not answer (" + ex.getMessage() + ")");
			}
		}
	}

	@Override
	protected final void handleTextMessage(WebSocketSession session, TextMessage message) {
		JsonNode json = this.jsonMapper.readTree(message.getPayload());
		try {
			if (json == null || !json.isObject()) {
				throw new InvalidMessageException("invalid_message", "Expected a JSON object");
			}
			if ("ping".equals(json.path("type").asString(""))) {
				this.manager.send(session, Map.of("type", "pong"));
				return;
			}
			handle(session, userOf(session), json);
		}
		catch (InvalidMessageException ex) {
			sendError(session, ex.code(), ex.getMessage());
		}
		catch (DataAccessException ex) {
			sendUnavailable(session, ex);
		}
	}

	@Override
	protected final void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		sendError(session, "unsupported", "Binary messages are not supported; send JSON text");
	}

	/**
	 * Returns what to keep in the connection's metadata besides the endpoint, typically
	 * its path variables after checking them.
	 * @param session the session, not registered yet
	 * @return the metadata
	 * @throws InvalidMessageException to close the connection with 1008
	 */
	@Override
	public Map<String, Object> metadata(WebSocketSession session) {
		return Map.of();
	}

	/**
	 * Called once the connection is registered with the manager.
	 * @param session the session
	 * @param user the user
	 */
	protected void opened(WebSocketSession session, String user) {
	}

	/**
	 * Handles one JSON object from the client.
	 * @param session the session
	 * @param user the user
	 * @param message the message, a JSON object
	 * @throws InvalidMessageException to answer the client with an error and go on
	 */
	protected abstract void handle(WebSocketSession session, String user, JsonNode message);

	/**
	 * Called after a registered connection closed and was removed from the manager.
	 * @param session the session
	 * @param user the user
	 */
	protected void closed(WebSocketSession session, String user) {
	}

	/**
	 * Sends an error to this connection only.
	 * @param session the session
	 * @param code the error code
	 * @param message what was wrong
	 */
	protected void sendError(WebSocketSession session, String code, String message) {
		this.manager.send(session, JsonMessages.error(code, message));
	}

	/**
	 * Tells this connection that the shared state does not answer, so what it asked for
	 * was not done: {@code {"type":"error","error":"unavailable",…}}.
	 * @param session the session
	 * @param failure what Redis answered, logged
	 */
	protected void sendUnavailable(WebSocketSession session, DataAccessException failure) {
		logger.debug("Redis does not answer for " + this.endpoint, failure);
		sendError(session, UNAVAILABLE, "The shared state does not answer; try again later");
	}

	/**
	 * Returns whether the user holds another connection to this endpoint whose metadata
	 * matches, on any instance with the Redis module (on this one while Redis does not
	 * answer), else on this one. The closing session does not count, even while the
	 * cluster has not yet forgotten it.
	 * @param user the user
	 * @param closing the session that closes
	 * @param match a test of the other connection's metadata
	 * @return whether such a connection remains
	 */
	protected boolean hasOtherConnection(String user, WebSocketSession closing, Predicate<Map<String, Object>> match) {
		Object closingId = closing.getAttributes().get(WsEndpoint.CONNECTION_ID_ATTRIBUTE);
		Predicate<Map<String, Object>> here = (metadata) -> this.endpoint.equals(metadata.get("endpoint"))
				&& match.test(metadata);
		if (this.manager instanceof RedisConnectionManager redis) {
			try {
				List<PresenceConnection> connections = redis.getUserPresence(user)
					.map(UserPresence::connections)
					.orElse(List.of());
				return connections.stream()
					.anyMatch((connection) -> !connection.connectionId().equals(closingId)
							&& here.test(connection.metadata()));
			}
			catch (DataAccessException ex) {
				// Redis is down: this instance's connections are all that can be known
			}
		}
		List<ConnectionInfo> connections = this.manager.getUserConnections(user);
		return connections.stream()
			.anyMatch((connection) -> !connection.connectionId().equals(closingId) && here.test(connection.metadata()));
	}

	/**
	 * Returns the string value of a path variable.
	 * @param session the session
	 * @param name the variable
	 * @return its value, empty when absent
	 */
	protected static String pathVariable(WebSocketSession session, String name) {
		return (session.getAttributes().get(name) instanceof String value) ? value : "";
	}

	private static String userOf(WebSocketSession session) {
		return WsPrincipal.of(session).id();
	}

}
