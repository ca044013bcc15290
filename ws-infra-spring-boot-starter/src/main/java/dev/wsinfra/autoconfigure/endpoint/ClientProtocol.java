package dev.wsinfra.autoconfigure.endpoint;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.TextMessage;

/**
 * The messages of ws-infra's client protocol that the library answers itself, before the
 * endpoint's handler sees them: the heartbeat {@code {"type":"ws.ping"}}, answered with
 * {@code {"type":"ws.pong"}} through the connection's ordered queue, and requests,
 * {@code {"type":"ws.request",...}}, handed to the endpoint's {@link RequestDispatcher}.
 * Other messages, {@code ws.}-prefixed types included, reach the handler.
 */
final class ClientProtocol {

	static final String PING = "ws.ping";

	static final String PONG = "{\"type\":\"ws.pong\"}";

	static final String REQUEST = "ws.request";

	// Both types, and any JSON that names them, hold this.
	private static final String MARKER = "\"ws.";

	private final EndpointSessions sessions;

	private final RequestDispatcher requests;

	private final JsonMapper jsonMapper;

	ClientProtocol(EndpointSessions sessions, RequestDispatcher requests, JsonMapper jsonMapper) {
		this.sessions = sessions;
		this.requests = requests;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Handles a message if it is one of the protocol's.
	 * @return whether it was one
	 */
	boolean handles(SessionState state, TextMessage message) {
		String payload = message.getPayload();
		if (!payload.contains(MARKER)) {
			return false;
		}
		JsonNode node = readObject(this.jsonMapper, payload);
		if (node == null) {
			return false;
		}
		String type = node.path("type").stringValue(null);
		if (PING.equals(type)) {
			this.sessions.send(state, PONG);
			return true;
		}
		if (REQUEST.equals(type)) {
			this.requests.handle(state, node);
			return true;
		}
		return false;
	}

	/**
	 * Reads a message that may be one of the library's.
	 * @return the JSON object, or {@code null} when the message is not one
	 */
	static @Nullable JsonNode readObject(JsonMapper jsonMapper, String payload) {
		try {
			JsonNode node = jsonMapper.readTree(payload);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
