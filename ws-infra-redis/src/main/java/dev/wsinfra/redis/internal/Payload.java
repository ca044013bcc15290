package dev.wsinfra.redis.internal;

import java.nio.ByteBuffer;
import java.util.Objects;

import dev.wsinfra.WebSocketMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;

/**
 * A message encoded once for the wire: text or binary, as the connection manager would
 * send it. Immutable.
 */
public final class Payload {

	private final @Nullable String text;

	private final byte @Nullable [] binary;

	private Payload(@Nullable String text, byte @Nullable [] binary) {
		this.text = text;
		this.binary = binary;
	}

	public static Payload text(String text) {
		return new Payload(text, null);
	}

	public static Payload binary(byte[] binary) {
		return new Payload(null, binary);
	}

	/**
	 * Encodes a message the way {@code ConnectionManager} documents: strings as text,
	 * bytes as binary, Spring's and ws-infra's message types as what they are, anything
	 * else as JSON.
	 * @throws IllegalArgumentException for control frames, which cannot cross instances,
	 * and for objects that do not serialize
	 */
	public static Payload of(Object message, JsonMapper jsonMapper) {
		Objects.requireNonNull(message, "message must not be null");
		if (message instanceof String text) {
			return text(text);
		}
		if (message instanceof byte[] bytes) {
			return binary(bytes.clone());
		}
		if (message instanceof ByteBuffer buffer) {
			return binary(bytesOf(buffer));
		}
		if (message instanceof TextMessage textMessage) {
			return text(textMessage.getPayload());
		}
		if (message instanceof BinaryMessage binaryMessage) {
			return binary(bytesOf(binaryMessage.getPayload()));
		}
		if (message instanceof org.springframework.web.socket.WebSocketMessage<?> other) {
			throw new IllegalArgumentException(
					other.getClass().getSimpleName() + " is a control frame and cannot be sent across instances");
		}
		if (message instanceof WebSocketMessage wsMessage) {
			return wsMessage.isText() ? text(wsMessage.text()) : binary(wsMessage.bytes());
		}
		return text(toJson(message, jsonMapper));
	}

	/**
	 * Encodes a message for a stream entry, which always holds JSON: a string becomes a
	 * JSON string, a {@code TextMessage} or text {@code WebSocketMessage} too, anything
	 * else its JSON.
	 * @throws IllegalArgumentException for binary messages, which streams do not hold
	 */
	public static String toStreamData(Object message, JsonMapper jsonMapper) {
		Objects.requireNonNull(message, "message must not be null");
		Object value = message;
		if (message instanceof TextMessage textMessage) {
			value = textMessage.getPayload();
		}
		else if (message instanceof WebSocketMessage wsMessage && wsMessage.isText()) {
			value = wsMessage.text();
		}
		else if (message instanceof byte[] || message instanceof ByteBuffer
				|| message instanceof org.springframework.web.socket.WebSocketMessage<?>
				|| message instanceof WebSocketMessage) {
			throw new IllegalArgumentException("Persistent messages are JSON or text; "
					+ message.getClass().getSimpleName() + " cannot be stored in a stream");
		}
		return toJson(value, jsonMapper);
	}

	private static String toJson(Object value, JsonMapper jsonMapper) {
		try {
			return jsonMapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"Cannot serialize " + value.getClass().getName() + " to JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	private static byte[] bytesOf(ByteBuffer buffer) {
		ByteBuffer view = buffer.duplicate();
		byte[] bytes = new byte[view.remaining()];
		view.get(bytes);
		return bytes;
	}

	public boolean isText() {
		return this.text != null;
	}

	public @Nullable String text() {
		return this.text;
	}

	public byte @Nullable [] binary() {
		return this.binary;
	}

	/**
	 * Returns what to hand to the local manager: the string, or a read-only buffer.
	 */
	public Object toLocalMessage() {
		String text = this.text;
		if (text != null) {
			return text;
		}
		return ByteBuffer.wrap(Objects.requireNonNull(this.binary)).asReadOnlyBuffer();
	}

}
