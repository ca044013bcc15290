package dev.wsinfra.samples.docs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.samples.support.InvalidMessageException;
import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.samples.support.Names;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The seed's live collaboration, {@code /ws/docs/{docId}} (protected). A new editor gets
 * the seed's {@code sync} (content, version, cursors) and the others {@code user_joined}.
 * An editor sends {@code insert} ({@code position}, {@code content}) or {@code delete}
 * ({@code position}, {@code length}), each with the {@code version} it was made on; the
 * server transforms it over the operations applied since, applies it, answers the sender
 * {@code ack} with the operations as applied and sends the other editors each
 * {@code operation}, numbered by {@code version}. {@code cursor} ({@code position}) moves
 * the editor's cursor, shown to the others; {@code sync} asks for the whole document
 * again. The room is {@code doc:<docId>}. While Redis does not answer, the editors get
 * {@code unavailable} errors instead of the document, and still see each other join and
 * leave.
 */
@Component
@WsEndpoint(path = DocumentHandler.PATH, auth = WsAuth.PROTECTED)
class DocumentHandler extends JsonEndpointHandler {

	static final String PATH = "/ws/docs/{docId}";

	/** The longest text one insert may carry. */
	static final int MAX_INSERT = 10_000;

	private static final Log logger = LogFactory.getLog(DocumentHandler.class);

	private final DocumentService documents;

	DocumentHandler(ConnectionManager manager, JsonMapper jsonMapper, DocumentService documents) {
		super(manager, jsonMapper, PATH);
		this.documents = documents;
	}

	@Override
	public Map<String, Object> metadata(WebSocketSession session) {
		return Map.of("docId", Names.check("document", pathVariable(session, "docId")));
	}

	@Override
	protected void opened(WebSocketSession session, String user) {
		String id = pathVariable(session, "docId");
		this.manager.joinRoom(user, room(id));
		try {
			this.manager.send(session, sync(this.documents.read(id)));
		}
		catch (DataAccessException ex) {
			// The editor asks for a sync once Redis answers again; the others still
			// see them.
			sendUnavailable(session, ex);
		}
		this.manager.broadcastToRoom(room(id), Map.of("type", "user_joined", "user_id", user), user);
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		String id = pathVariable(session, "docId");
		String type = JsonMessages.type(message);
		switch (type) {
			case "insert" -> {
				String content = JsonMessages.requiredText(message, "content");
				if (content.isEmpty() || content.length() > MAX_INSERT) {
					throw new InvalidMessageException("invalid_message",
							"\"content\" must hold 1 to " + MAX_INSERT + " characters");
				}
				edit(session, user, id, Edit.insert(JsonMessages.requiredInt(message, "position"), content), message);
			}
			case "delete" -> edit(session, user, id, Edit.delete(JsonMessages.requiredInt(message, "position"),
					JsonMessages.requiredInt(message, "length")), message);
			case "cursor" -> {
				int position = JsonMessages.requiredInt(message, "position");
				this.documents.moveCursor(id, user, position);
				this.manager.broadcastToRoom(room(id), Map.of("type", "cursor", "user_id", user, "position", position),
						user);
			}
			case "sync" -> this.manager.send(session, sync(this.documents.read(id)));
			default -> throw JsonMessages.unknownType(type, "\"insert\", \"delete\", \"cursor\" or \"sync\"");
		}
	}

	private void edit(WebSocketSession session, String user, String id, Edit edit, JsonNode message) {
		Long baseVersion = version(message);
		Document.Applied applied = this.documents.edit(id, edit, baseVersion, user);
		List<Operation> operations = applied.operations();
		Map<String, Object> ack = new LinkedHashMap<>();
		ack.put("type", "ack");
		ack.put("version", applied.document().version());
		ack.put("operations", operations);
		this.manager.send(session, ack);
		for (Operation operation : operations) {
			Map<String, Object> event = new LinkedHashMap<>();
			event.put("type", "operation");
			event.put("version", operation.version());
			event.put("operation", operation);
			this.manager.broadcastToRoom(room(id), event, user);
		}
	}

	private static @Nullable Long version(JsonNode message) {
		JsonNode version = message.get("version");
		if (version == null || version.isNull()) {
			return null;
		}
		if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 0) {
			throw new InvalidMessageException("invalid_message", "\"version\" must be a version number");
		}
		return version.asLong();
	}

	@Override
	protected void closed(WebSocketSession session, String user) {
		String id = pathVariable(session, "docId");
		if (hasOtherConnection(user, session, (metadata) -> id.equals(metadata.get("docId")))) {
			return;
		}
		this.manager.leaveRoom(user, room(id));
		try {
			this.documents.removeCursor(id, user);
		}
		catch (DataAccessException ex) {
			// The cursor stays until the document expires; the other editors must still
			// learn of the leave.
			logger.warn("Could not remove a cursor from document " + id + ": Redis does not answer (" + ex.getMessage()
					+ ")");
		}
		this.manager.broadcastToRoom(room(id), Map.of("type", "user_left", "user_id", user));
	}

	private static Map<String, Object> sync(Document document) {
		Map<String, Object> sync = new LinkedHashMap<>();
		sync.put("type", "sync");
		sync.put("content", document.content());
		sync.put("version", document.version());
		sync.put("cursors", document.cursors());
		return sync;
	}

	static String room(String id) {
		return "doc:" + id;
	}

}
