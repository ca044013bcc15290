package dev.wsinfra.samples.game;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.samples.support.InvalidMessageException;
import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The seed's game server, {@code /ws/game} (protected). Messages carry a {@code type}:
 * <ul>
 * <li>{@code create}: answered {@code game_created} with the new {@code game_id};</li>
 * <li>{@code join} with {@code game_id}: the room {@code game:<id>} gets the seed's
 * {@code player_joined}; an unknown game or one already started is an error to this
 * connection only;</li>
 * <li>{@code start} (host only, 2 players or more): the room gets
 * {@code game_started};</li>
 * <li>{@code action} with {@code action: {"add": 1..3}}: the room gets the seed's
 * {@code state_update} with the {@code result} and the {@code game_state}.</li>
 * </ul>
 * When the user's last game connection closes, the other players get
 * {@code player_disconnected}; the user stays a player and may {@code join} again.
 */
@Component
@WsEndpoint(path = GameHandler.PATH, auth = WsAuth.PROTECTED)
class GameHandler extends JsonEndpointHandler {

	static final String PATH = "/ws/game";

	private static final String GAMES_ATTRIBUTE = GameHandler.class.getName() + ".games";

	private final GameService games;

	GameHandler(ConnectionManager manager, JsonMapper jsonMapper, GameService games) {
		super(manager, jsonMapper, PATH);
		this.games = games;
	}

	@Override
	protected void opened(WebSocketSession session, String user) {
		session.getAttributes().put(GAMES_ATTRIBUTE, ConcurrentHashMap.newKeySet());
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		String type = JsonMessages.type(message);
		switch (type) {
			case "create" -> {
				Game game = this.games.create(user);
				enter(session, user, game.id());
				this.manager.send(session, event("game_created", game));
			}
			case "join" -> {
				GameService.Joined joined = this.games.join(JsonMessages.requiredText(message, "game_id"), user);
				Game game = joined.game();
				enter(session, user, game.id());
				if (joined.newPlayer()) {
					Map<String, Object> event = new LinkedHashMap<>();
					event.put("type", "player_joined");
					event.put("game_id", game.id());
					event.put("player_id", user);
					event.put("players", game.players());
					this.manager.broadcastToRoom(room(game.id()), event);
				}
				else {
					this.manager.send(session, event("game_state", game));
				}
			}
			case "start" -> {
				Game game = this.games.start(JsonMessages.requiredText(message, "game_id"), user);
				this.manager.broadcastToRoom(room(game.id()), event("game_started", game));
			}
			case "action" -> {
				String id = JsonMessages.requiredText(message, "game_id");
				JsonNode action = message.get("action");
				if (action == null || !action.isObject()) {
					throw new InvalidMessageException("invalid_message",
							"Missing \"action\": an object such as {\"add\": 2}");
				}
				int add = JsonMessages.requiredInt(action, "add");
				Game game = this.games.play(id, user, add);
				Map<String, Object> update = new LinkedHashMap<>();
				update.put("type", "state_update");
				update.put("game_id", game.id());
				update.put("player_id", user);
				update.put("action", Map.of("add", add));
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("total", game.data().total());
				result.put("winner", game.data().winner());
				update.put("result", result);
				update.put("state", game.state());
				update.put("game_state", game.data());
				this.manager.broadcastToRoom(room(game.id()), update);
			}
			default -> throw JsonMessages.unknownType(type, "\"create\", \"join\", \"start\" or \"action\"");
		}
	}

	private void enter(WebSocketSession session, String user, String id) {
		this.manager.joinRoom(user, room(id));
		games(session).add(id);
	}

	@Override
	protected void closed(WebSocketSession session, String user) {
		if (hasOtherConnection(user, session, (metadata) -> true)) {
			return;
		}
		for (String id : games(session)) {
			this.manager.leaveRoom(user, room(id));
			this.manager.broadcastToRoom(room(id),
					Map.of("type", "player_disconnected", "game_id", id, "player_id", user));
		}
	}

	@SuppressWarnings("unchecked")
	private static Set<String> games(WebSocketSession session) {
		Object games = session.getAttributes().get(GAMES_ATTRIBUTE);
		return (games != null) ? (Set<String>) games : Set.of();
	}

	static String room(String id) {
		return "game:" + id;
	}

	private static Map<String, Object> event(String type, Game game) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		event.put("game_id", game.id());
		event.put("host", game.host());
		event.put("players", game.players());
		event.put("state", game.state());
		event.put("game_state", game.data());
		return event;
	}

}
