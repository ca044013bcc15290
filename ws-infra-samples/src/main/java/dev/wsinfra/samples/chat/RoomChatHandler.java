package dev.wsinfra.samples.chat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRequest;
import dev.wsinfra.endpoint.WsRequestException;
import dev.wsinfra.endpoint.WsRequestHandler;
import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.StreamMessage;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The rooms of the chat page, {@code /ws/rooms/{room}} (protected), built for
 * ws-infra.js. A client sends {@code {"message": "..."}}; every member of the room, the
 * sender's tabs included, receives it as an entry of the room's persistent stream,
 * {@code {"type":"message","stream":"room:rooms:<room>","position","id","data":{"from",
 * "message"}}}, which a reconnecting client recovers from its last position. The request
 * {@code history} answers the room's last {@value #HISTORY} entries, oldest first, in the
 * same shape; {@code ws.presence} (the library's) the members of {@code rooms:<room>}.
 * Each connection that opens, and each user's last connection that closes, is told to the
 * room as {@code {"type":"presence","room","user","event": "joined"|"left"}}, a cue to
 * read the members again.
 * <p>
 * Without the Redis module there is no stream: messages carry no position and history is
 * empty, {@code {"messages":[],"persistent":false}}.
 */
@Component
@WsEndpoint(path = RoomChatHandler.PATH, auth = WsAuth.PROTECTED)
class RoomChatHandler extends RoomEndpointHandler implements WsRequestHandler {

	static final String PATH = "/ws/rooms/{room}";

	/** Entries the history request returns at most. */
	static final int HISTORY = 50;

	private static final int PAGE = 500;

	RoomChatHandler(ConnectionManager manager, JsonMapper jsonMapper) {
		super(manager, jsonMapper, PATH, "rooms:");
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		String room = room(session);
		Map<String, Object> entry = Map.of("from", user, "message", ChatHandler.text(message));
		if (this.manager instanceof RedisConnectionManager redis) {
			redis.broadcastToRoomPersistent(room, entry);
		}
		else {
			this.manager.broadcastToRoom(room, Map.of("type", "message", "stream", stream(room), "data", entry));
		}
	}

	@Override
	public Object handleRequest(WsRequest request) {
		if (!"history".equals(request.method())) {
			throw new WsRequestException("unknown_method", "Methods: history, ws.presence");
		}
		String room = room(request.session());
		Map<String, Object> reply = new LinkedHashMap<>();
		if (this.manager instanceof RedisConnectionManager redis) {
			reply.put("messages", history(redis, stream(room)));
			reply.put("persistent", true);
		}
		else {
			reply.put("messages", List.of());
			reply.put("persistent", false);
		}
		return reply;
	}

	// The stream's last entries: Redis returns them oldest first from a position, so
	// the whole stream (capped at its maximum length) is read in pages.
	private static List<Map<String, Object>> history(RedisConnectionManager redis, String stream) {
		Deque<StreamMessage> last = new ArrayDeque<>();
		String since = "0";
		int pages = redis.options().streamMaxLength() / PAGE + 1;
		for (int page = 0; page < pages; page++) {
			List<StreamMessage> batch = redis.getMessageHistory(stream, PAGE, since);
			for (StreamMessage message : batch) {
				last.addLast(message);
				if (last.size() > HISTORY) {
					last.removeFirst();
				}
			}
			if (batch.size() < PAGE) {
				break;
			}
			since = batch.get(batch.size() - 1).id();
		}
		return last.stream()
			.map((message) -> Map.<String, Object>of("type", "message", "stream", stream, "position",
					message.position().token(), "id", message.id(), "data", message.data()))
			.toList();
	}

	@Override
	protected Object joined(String room, String user) {
		return presence(room, user, "joined");
	}

	@Override
	protected Object left(String room, String user) {
		return presence(room, user, "left");
	}

	private static Map<String, Object> presence(String room, String user, String event) {
		return Map.of("type", "presence", "room", room, "user", user, "event", event);
	}

	private static String stream(String room) {
		return "room:" + room;
	}

}
