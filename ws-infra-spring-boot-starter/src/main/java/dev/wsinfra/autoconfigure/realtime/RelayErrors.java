package dev.wsinfra.autoconfigure.realtime;

import java.util.Map;

import dev.wsinfra.internal.LogValues;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The relay's own error events, shaped as OpenAI's so that one client handles both:
 * {@code {"type": "error", "error": {"type": "relay_error", "code": ..., "message":
 * ...}}}, with details such as {@code retry_after} beside them.
 */
final class RelayErrors {

	private static final int MAX_MESSAGE = 300;

	private RelayErrors() {
	}

	static String error(String code, String message) {
		return error(code, message, Map.of(), null);
	}

	static String error(String code, String message, Map<String, Object> details, @Nullable String eventId) {
		ObjectNode event = Events.event("error");
		ObjectNode error = event.putObject("error").put("type", "relay_error").put("code", code);
		error.put("message", (message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE) + "…" : message);
		details.forEach((name, value) -> error.set(name, Events.JSON.valueToTree(value)));
		if (eventId != null) {
			error.put("event_id", LogValues.escape(eventId));
		}
		return Events.JSON.writeValueAsString(event);
	}

}
