package dev.wsinfra.samples.chat;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.samples.support.InvalidMessageException;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The seed's chat room, {@code /ws/chat/{room}} (protected): a client sends
 * {@code {"message": "..."}}; the other members of the room receive {@code {"type":
 * "message", "from": <user>, "message": "..."}} (the sender does not get it back);
 * everyone in the room, the newcomer included, receives {@code {"type": "system",
 * "message": "<user> joined the room"}} and, when the user's last connection to the room
 * closes, {@code "<user> left the room"}.
 * <p>
 * The manager's room is {@code chat:<room>}. A user with two tabs in the same room joins
 * it once and leaves it with the last tab, on whichever instance each tab is.
 */
@Component
@WsEndpoint(path = ChatHandler.PATH, auth = WsAuth.PROTECTED)
class ChatHandler extends RoomEndpointHandler {

	static final String PATH = "/ws/chat/{room}";

	/** The longest message, in characters. */
	static final int MAX_MESSAGE_LENGTH = 2000;

	ChatHandler(ConnectionManager manager, JsonMapper jsonMapper) {
		super(manager, jsonMapper, PATH, "chat:");
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		JsonNode type = message.get("type");
		if (type != null && !"message".equals(type.asString(""))) {
			throw JsonMessages.unknownType(type.asString(type.toString()), "none, or \"message\"");
		}
		String text = text(message);
		this.manager.broadcastToRoom(room(session), new ChatMessage("message", user, text), user);
	}

	@Override
	protected Object joined(String room, String user) {
		return new Notice("system", user + " joined the room");
	}

	@Override
	protected Object left(String room, String user) {
		return new Notice("system", user + " left the room");
	}

	/**
	 * Returns the text of a chat message, {@code "message"}: not blank, at most
	 * {@value #MAX_MESSAGE_LENGTH} characters.
	 * @throws InvalidMessageException when it is missing, blank or too long
	 */
	static String text(JsonNode message) {
		String text = JsonMessages.requiredText(message, "message");
		if (text.isBlank()) {
			throw new InvalidMessageException("invalid_message", "\"message\" must not be blank");
		}
		if (text.length() > MAX_MESSAGE_LENGTH) {
			throw new InvalidMessageException("message_too_long",
					"\"message\" is longer than " + MAX_MESSAGE_LENGTH + " characters");
		}
		return text;
	}

	/** A member's message, as the seed sends it. */
	record ChatMessage(String type, String from, String message) {

	}

	/** A notice of the room, as the seed sends it. */
	record Notice(String type, String message) {

	}

}
