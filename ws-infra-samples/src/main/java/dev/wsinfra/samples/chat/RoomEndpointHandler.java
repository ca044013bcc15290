package dev.wsinfra.samples.chat;

import java.util.Map;

import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.Names;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.WebSocketSession;

/**
 * Base of the chat endpoints whose path names a room, {@code .../{room}}: a connection
 * joins the manager's room (the path's room under a prefix of the endpoint's) and the
 * room is told; the user leaves it, and the room is told, when their last connection to
 * that room closes, on whichever instance each is.
 */
abstract class RoomEndpointHandler extends JsonEndpointHandler {

	private final String roomPrefix;

	RoomEndpointHandler(ConnectionManager manager, JsonMapper jsonMapper, String path, String roomPrefix) {
		super(manager, jsonMapper, path);
		this.roomPrefix = roomPrefix;
	}

	@Override
	public final Map<String, Object> metadata(WebSocketSession session) {
		return Map.of("room", Names.check("room", pathVariable(session, "room")));
	}

	@Override
	protected final void opened(WebSocketSession session, String user) {
		String room = room(session);
		this.manager.joinRoom(user, room);
		this.manager.broadcastToRoom(room, joined(room, user));
	}

	@Override
	protected final void closed(WebSocketSession session, String user) {
		String name = pathVariable(session, "room");
		if (hasOtherConnection(user, session, (metadata) -> name.equals(metadata.get("room")))) {
			return;
		}
		String room = room(session);
		this.manager.leaveRoom(user, room);
		this.manager.broadcastToRoom(room, left(room, user));
	}

	/**
	 * {@return the manager's room of a connection}
	 */
	final String room(WebSocketSession session) {
		return this.roomPrefix + pathVariable(session, "room");
	}

	/**
	 * {@return what the room is told when a user joins it}
	 */
	protected abstract Object joined(String room, String user);

	/**
	 * {@return what the room is told when a user leaves it}
	 */
	protected abstract Object left(String room, String user);

}
