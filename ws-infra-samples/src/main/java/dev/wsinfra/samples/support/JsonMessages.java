package dev.wsinfra.samples.support;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of the examples' JSON messages, failing with an
 * {@link InvalidMessageException} that names the field.
 */
public final class JsonMessages {

	private JsonMessages() {
	}

	/**
	 * Returns the error message every example sends, the shape of the library's own.
	 * @param code the error code
	 * @param message what was wrong
	 * @return {@code {"type":"error","error":code,"message":message}}
	 */
	public static Map<String, Object> error(String code, String message) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("type", "error");
		error.put("error", code);
		error.put("message", message);
		return error;
	}

	/**
	 * Returns a required string field.
	 * @param message the message
	 * @param field the field
	 * @return the value
	 * @throws InvalidMessageException when it is missing or not a string
	 */
	public static String requiredText(JsonNode message, String field) {
		JsonNode value = message.get(field);
		if (value == null || value.isNull()) {
			throw missing(field, "a string");
		}
		if (!value.isString()) {
			throw new InvalidMessageException("invalid_message", "\"" + field + "\" must be a string");
		}
		return value.asString();
	}

	/**
	 * Returns a required integer field.
	 * @param message the message
	 * @param field the field
	 * @return the value
	 * @throws InvalidMessageException when it is missing or not an integer within the
	 * range of {@code int}
	 */
	public static int requiredInt(JsonNode message, String field) {
		JsonNode value = message.get(field);
		if (value == null || value.isNull()) {
			throw missing(field, "an integer");
		}
		if (!value.isIntegralNumber() || !value.canConvertToInt()) {
			throw new InvalidMessageException("invalid_message", "\"" + field + "\" must be an integer");
		}
		return value.asInt();
	}

	/**
	 * Returns the {@code type} field every example's messages carry.
	 * @param message the message
	 * @return the type
	 */
	public static String type(JsonNode message) {
		return requiredText(message, "type");
	}

	/**
	 * Returns the error for a message type the endpoint does not know.
	 * @param type the type received
	 * @param known the types the endpoint takes
	 * @return the exception to throw
	 */
	public static InvalidMessageException unknownType(String type, String known) {
		return new InvalidMessageException("unknown_type", "Unknown message type \"" + type + "\"; expected " + known);
	}

	private static InvalidMessageException missing(String field, String what) {
		return new InvalidMessageException("invalid_message", "Missing \"" + field + "\": " + what);
	}

}
