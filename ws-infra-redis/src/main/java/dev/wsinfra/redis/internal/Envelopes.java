package dev.wsinfra.redis.internal;

import java.util.Base64;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import org.springframework.web.socket.CloseStatus;

/**
 * Writes and reads the JSON that travels on the module's channels, and the frames
 * persistent messages reach clients in.
 * <p>
 * On the wire: {@code {"instance", "excludeUser", "text"|"binary"}} for messages (binary
 * in Base64), {@code {"instance", "control", "room", "ack"}} for room changes (a join
 * carries the id its sender waits to have acknowledged), {@code {"instance", "ack"}} for
 * an acknowledgement, {@code {"instance", "control":"disconnect", "code", "reason"}} for
 * disconnecting a user, and {@code {"instance", "stream", "id", "epoch", "data",
 * "excludeUser"}} for stream entries, written by the append script.
 */
public final class Envelopes {

	private static final String JOIN = "join";

	private static final String LEAVE = "leave";

	private static final String DISCONNECT = "disconnect";

	private final JsonMapper jsonMapper;

	public Envelopes(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	public String message(String instance, @Nullable String excludeUser, Payload payload) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("instance", instance);
		if (excludeUser != null) {
			node.put("excludeUser", excludeUser);
		}
		String text = payload.text();
		if (text != null) {
			node.put("text", text);
		}
		else {
			node.put("binary", Base64.getEncoder().encodeToString(payload.binary()));
		}
		return this.jsonMapper.writeValueAsString(node);
	}

	public String roomChange(String instance, String room, boolean joined, @Nullable String ack) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("instance", instance);
		node.put("control", joined ? JOIN : LEAVE);
		node.put("room", room);
		if (ack != null) {
			node.put("ack", ack);
		}
		return this.jsonMapper.writeValueAsString(node);
	}

	public String ack(String instance, String ack) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("instance", instance);
		node.put("ack", ack);
		return this.jsonMapper.writeValueAsString(node);
	}

	public String disconnect(String instance, CloseStatus status) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("instance", instance);
		node.put("control", DISCONNECT);
		node.put("code", status.getCode());
		if (status.getReason() != null) {
			node.put("reason", status.getReason());
		}
		return this.jsonMapper.writeValueAsString(node);
	}

	/**
	 * Reads a payload.
	 * @return the envelope, or {@code null} when it is not one of ours
	 */
	public @Nullable Envelope read(String json) {
		JsonNode node;
		try {
			node = this.jsonMapper.readTree(json);
		}
		catch (JacksonException ex) {
			return null;
		}
		String instance = string(node, "instance");
		if (instance == null) {
			return null;
		}
		String excludeUser = string(node, "excludeUser");
		if (excludeUser != null && excludeUser.isEmpty()) {
			excludeUser = null;
		}
		String control = string(node, "control");
		if (control != null) {
			return control(instance, control, node);
		}
		String stream = string(node, "stream");
		if (stream != null) {
			String id = string(node, "id");
			String epoch = string(node, "epoch");
			String data = string(node, "data");
			if (id == null || epoch == null || data == null) {
				return null;
			}
			return new Envelope.Entry(instance, new StreamEntry(stream, id, epoch, data, excludeUser));
		}
		String text = string(node, "text");
		if (text != null) {
			return new Envelope.Message(instance, excludeUser, Payload.text(text));
		}
		String ack = string(node, "ack");
		if (ack != null) {
			return new Envelope.Ack(instance, ack);
		}
		String binary = string(node, "binary");
		if (binary != null) {
			try {
				return new Envelope.Message(instance, excludeUser, Payload.binary(Base64.getDecoder().decode(binary)));
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		return null;
	}

	private static @Nullable Envelope control(String instance, String control, JsonNode node) {
		if (DISCONNECT.equals(control)) {
			CloseStatus status = closeStatus(node);
			return (status != null) ? new Envelope.Disconnect(instance, status) : null;
		}
		String room = string(node, "room");
		if (room == null || !(JOIN.equals(control) || LEAVE.equals(control))) {
			return null;
		}
		return new Envelope.RoomChange(instance, room, JOIN.equals(control), string(node, "ack"));
	}

	/**
	 * Parses stream data, which is JSON; data written by something else is kept as a
	 * string.
	 */
	public JsonNode data(String data) {
		try {
			return this.jsonMapper.readTree(data);
		}
		catch (JacksonException ex) {
			return StringNode.valueOf(data);
		}
	}

	/**
	 * Returns the frame a client receives for a stream entry: {@code {"type", "stream",
	 * "position", "data"}}.
	 */
	public String streamFrame(String type, StreamEntry entry, String position) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("type", type);
		node.put("stream", entry.stream());
		node.put("position", position);
		node.put("id", entry.id());
		node.set("data", data(entry.data()));
		return this.jsonMapper.writeValueAsString(node);
	}

	/**
	 * Returns the frame that ends a recovery: {@code {"type":"recovery", "stream",
	 * "recovered", "replayed", "position"}}.
	 */
	public String recoveryFrame(@Nullable String stream, boolean recovered, int replayed, @Nullable String position) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("type", "recovery");
		if (stream != null) {
			node.put("stream", stream);
		}
		node.put("recovered", recovered);
		node.put("replayed", replayed);
		if (position != null) {
			node.put("position", position);
		}
		return this.jsonMapper.writeValueAsString(node);
	}

	public JsonMapper jsonMapper() {
		return this.jsonMapper;
	}

	private static @Nullable CloseStatus closeStatus(JsonNode node) {
		JsonNode code = node.get("code");
		if (code == null || !code.isInt()) {
			return null;
		}
		try {
			return new CloseStatus(code.intValue(), string(node, "reason"));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static @Nullable String string(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
