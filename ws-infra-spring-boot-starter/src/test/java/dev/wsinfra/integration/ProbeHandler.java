package dev.wsinfra.integration;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.security.WsPrincipal;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The test endpoints' handler: greets each session with what it knows of it (user, email,
 * scopes, path variable, session id, managed user id, container buffer sizes), echoes
 * text and binary messages, answers JSON with JSON (so malformed JSON fails in Jackson),
 * joins the room named after "join:", and fails on "boom". It writes through the
 * connection manager, as a handler of a managed endpoint should.
 */
class ProbeHandler extends AbstractWebSocketHandler {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final ConnectionManager manager;

	ProbeHandler(ConnectionManager manager) {
		this.manager = manager;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		Map<String, Object> hello = new LinkedHashMap<>();
		hello.put("type", "hello");
		WsPrincipal principal = WsPrincipal.find(session).orElse(null);
		hello.put("user", (principal != null) ? principal.id() : null);
		hello.put("email", (principal != null) ? principal.email() : null);
		hello.put("scopes", (principal != null) ? principal.scopes() : null);
		hello.put("name", (session.getPrincipal() != null) ? session.getPrincipal().getName() : null);
		hello.put("room", session.getAttributes().get("room"));
		hello.put("session", session.getId());
		hello.put("userId", session.getAttributes().get(WsEndpoint.USER_ID_ATTRIBUTE));
		hello.put("textBufferSize", session.getTextMessageSizeLimit());
		hello.put("binaryBufferSize", session.getBinaryMessageSizeLimit());
		send(session, this.jsonMapper.writeValueAsString(hello));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		String payload = message.getPayload();
		if (payload.equals("boom")) {
			throw new IllegalStateException("handler failure on purpose");
		}
		if (payload.startsWith("join:")) {
			String room = payload.substring("join:".length());
			this.manager.joinRoom((String) session.getAttributes().get(WsEndpoint.USER_ID_ATTRIBUTE), room);
			send(session, "joined " + room);
			return;
		}
		if (payload.startsWith("{")) {
			JsonNode node = this.jsonMapper.readTree(payload);
			send(session, this.jsonMapper.writeValueAsString(Map.of("type", "echo", "data", node)));
			return;
		}
		send(session, payload);
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
		send(session, new BinaryMessage(message.getPayload()));
	}

	private void send(WebSocketSession session, Object message) throws Exception {
		if (!this.manager.send(session, message)) {
			throw new IllegalStateException("session " + session.getId() + " is not registered");
		}
	}

}
