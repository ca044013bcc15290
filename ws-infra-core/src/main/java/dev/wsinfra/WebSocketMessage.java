package dev.wsinfra;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One complete WebSocket message: text or binary. Immutable.
 * <p>
 * {@link #text()} decodes a binary message as UTF-8 and {@link #bytes()} encodes a text
 * message as UTF-8, so either accessor works on either kind.
 *
 * @since 0.1.0
 */
public final class WebSocketMessage {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final boolean binary;

	private final String text;

	private final byte[] data;

	private WebSocketMessage(boolean binary, String text, byte[] data) {
		this.binary = binary;
		this.text = text;
		this.data = data;
	}

	/**
	 * Creates a text message.
	 * @param text the text
	 * @return the message
	 */
	public static WebSocketMessage text(String text) {
		return new WebSocketMessage(false, text, new byte[0]);
	}

	/**
	 * Creates a binary message from a copy of the given bytes.
	 * @param bytes the payload
	 * @return the message
	 */
	public static WebSocketMessage binary(byte[] bytes) {
		return new WebSocketMessage(true, "", bytes.clone());
	}

	/**
	 * Creates a binary message from the remaining bytes of a buffer, which is not
	 * changed.
	 * @param buffer the payload
	 * @return the message
	 */
	public static WebSocketMessage binary(ByteBuffer buffer) {
		ByteBuffer view = buffer.duplicate();
		byte[] bytes = new byte[view.remaining()];
		view.get(bytes);
		return new WebSocketMessage(true, "", bytes);
	}

	/**
	 * Returns whether this is a text message.
	 * @return {@code true} for text, {@code false} for binary
	 */
	public boolean isText() {
		return !this.binary;
	}

	/**
	 * Returns whether this is a binary message.
	 * @return {@code true} for binary, {@code false} for text
	 */
	public boolean isBinary() {
		return this.binary;
	}

	/**
	 * Returns the message as text; a binary payload is decoded as UTF-8.
	 * @return the text
	 */
	public String text() {
		return this.binary ? new String(this.data, StandardCharsets.UTF_8) : this.text;
	}

	/**
	 * Returns a copy of the payload; a text message is encoded as UTF-8.
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.binary ? this.data.clone() : this.text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Returns the payload size.
	 * @return bytes for a binary message, UTF-16 characters for a text message
	 */
	public int size() {
		return this.binary ? this.data.length : this.text.length();
	}

	/**
	 * Parses the message as JSON.
	 * @return the JSON tree
	 * @throws WebSocketException if the payload is not valid JSON
	 */
	public JsonNode json() {
		try {
			return JSON.readTree(text());
		}
		catch (JacksonException ex) {
			throw new WebSocketException("Message is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Parses the message as JSON into the given type.
	 * @param <T> the target type
	 * @param type the target type
	 * @return the parsed value
	 * @throws WebSocketException if the payload is not valid JSON for that type
	 */
	public <T> T json(Class<T> type) {
		try {
			return JSON.readValue(text(), type);
		}
		catch (JacksonException ex) {
			throw new WebSocketException(
					"Message is not valid JSON for " + type.getSimpleName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof WebSocketMessage that)) {
			return false;
		}
		return this.binary == that.binary && this.text.equals(that.text) && Arrays.equals(this.data, that.data);
	}

	@Override
	public int hashCode() {
		return 31 * Boolean.hashCode(this.binary) + (this.binary ? Arrays.hashCode(this.data) : this.text.hashCode());
	}

	@Override
	public String toString() {
		return this.binary ? "WebSocketMessage[binary, " + this.data.length + " bytes]"
				: "WebSocketMessage[text, " + this.text.length() + " chars]";
	}

}
