package dev.wsinfra.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.server.CloseStatuses;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.TooManyConnectionsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The seed's endpoint: connects each session under the {@code user} query parameter (with
 * the {@code tab} parameter as metadata), closes with 4008 past the per-user limit, and
 * runs JSON commands: {@code join}, {@code leave}, {@code broadcast}, {@code room},
 * {@code dm}, {@code recover} and {@code quit} (closes this session with 4000).
 */
final class CommandHandler extends TextWebSocketHandler {

	private final ConnectionManager manager;

	private final JsonMapper jsonMapper;

	CommandHandler(ConnectionManager manager, JsonMapper jsonMapper) {
		this.manager = manager;
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		String tab = query(session, "tab");
		try {
			this.manager.connect(userOf(session), session, (tab != null) ? Map.of("tab", tab) : Map.of());
		}
		catch (TooManyConnectionsException ex) {
			session.close(CloseStatuses.TOO_MANY_CONNECTIONS);
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		String user = userOf(session);
		JsonNode command = this.jsonMapper.readTree(message.getPayload());
		String text = command.path("text").asString("");
		switch (command.path("op").asString("")) {
			case "join" -> this.manager.joinRoom(user, command.path("room").asString());
			case "leave" -> this.manager.leaveRoom(user, command.path("room").asString());
			case "broadcast" -> this.manager.broadcast(text, user);
			case "room" -> this.manager.broadcastToRoom(command.path("room").asString(), text, user);
			case "dm" -> this.manager.sendToUser(command.path("to").asString(), text);
			case "recover" -> {
				List<String> positions = new ArrayList<>();
				command.path("positions").forEach((position) -> positions.add(position.asString()));
				((RedisConnectionManager) this.manager).recover(session, positions);
			}
			case "quit" -> this.manager.disconnect(user, session, new CloseStatus(4000, "quit"));
			default -> this.manager.send(session, "unknown command");
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.manager.disconnect(userOf(session), session, status);
	}

	private static String userOf(WebSocketSession session) {
		return query(session, "user");
	}

	private static String query(WebSocketSession session, String name) {
		return UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams().getFirst(name);
	}

}
