package dev.wsinfra.autoconfigure.realtime;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Helpers of the built-in providers for the events they read and write.
 */
final class Events {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private Events() {
	}

	static ObjectNode object() {
		return JSON.createObjectNode();
	}

	static ObjectNode event(String type) {
		return object().put("type", type);
	}

	/**
	 * Returns the size of the bytes a base64 text encodes, without decoding it.
	 */
	static int decodedLength(JsonNode base64) {
		if (!base64.isString()) {
			return 0;
		}
		String text = base64.asString();
		int length = text.length();
		if (length == 0) {
			return 0;
		}
		int padding = 0;
		if (text.charAt(length - 1) == '=') {
			padding++;
			if (length > 1 && text.charAt(length - 2) == '=') {
				padding++;
			}
		}
		return (int) ((long) length * 3 / 4) - padding;
	}

	/**
	 * Returns the JSON an argument string holds, or an empty object when it holds none.
	 */
	static JsonNode arguments(JsonNode arguments) {
		if (arguments.isObject()) {
			return arguments;
		}
		if (arguments.isString() && !arguments.asString().isBlank()) {
			try {
				return JSON.readTree(arguments.asString());
			}
			catch (RuntimeException ex) {
				return object().put("_unparsed", arguments.asString());
			}
		}
		return object();
	}

}
