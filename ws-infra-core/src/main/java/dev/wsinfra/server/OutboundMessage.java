package dev.wsinfra.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.wsinfra.WebSocketMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;

/**
 * A message encoded once, ready to be written to any number of connections. Immutable. A
 * text message keeps its UTF-8 bytes beside the text, encoded when the message is made:
 * transports that write them give every recipient a view of the same bytes.
 */
final class OutboundMessage {

	private final @Nullable String text;

	private final @Nullable ByteBuffer utf8;

	private final @Nullable ByteBuffer binary;

	private final boolean ping;

	private org.springframework.web.socket.@Nullable WebSocketMessage<?> springMessage;

	private OutboundMessage(@Nullable String text, @Nullable ByteBuffer binary) {
		this(text, binary, false);
	}

	private OutboundMessage(@Nullable String text, @Nullable ByteBuffer binary, boolean ping) {
		this.text = text;
		// An unpaired surrogate becomes '?': what is written is always valid UTF-8.
		this.utf8 = (text != null) ? ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer() : null;
		this.binary = binary;
		this.ping = ping;
	}

	static OutboundMessage text(String text) {
		return new OutboundMessage(text, null);
	}

	static OutboundMessage of(Object message, JsonMapper jsonMapper) {
		if (message instanceof OutboundMessage outbound) {
			return outbound;
		}
		if (message instanceof String text) {
			return new OutboundMessage(text, null);
		}
		if (message instanceof byte[] bytes) {
			return new OutboundMessage(null, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
		}
		if (message instanceof ByteBuffer buffer) {
			return new OutboundMessage(null, buffer.slice().asReadOnlyBuffer());
		}
		if (message instanceof TextMessage textMessage) {
			return new OutboundMessage(textMessage.getPayload(), null);
		}
		if (message instanceof BinaryMessage binaryMessage) {
			return new OutboundMessage(null, binaryMessage.getPayload().slice().asReadOnlyBuffer());
		}
		if (message instanceof PingMessage pingMessage) {
			return new OutboundMessage(null, pingMessage.getPayload().slice().asReadOnlyBuffer(), true);
		}
		if (message instanceof WebSocketMessage wsMessage) {
			return wsMessage.isText() ? new OutboundMessage(wsMessage.text(), null)
					: new OutboundMessage(null, ByteBuffer.wrap(wsMessage.bytes()).asReadOnlyBuffer());
		}
		try {
			return new OutboundMessage(jsonMapper.writeValueAsString(message), null);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"Cannot serialize " + message.getClass().getName() + " to JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Returns whether this is a ping control frame, whose payload is {@link #binary()}.
	 */
	boolean isPing() {
		return this.ping;
	}

	/**
	 * Returns the payload size: characters for text (a lower bound of its UTF-8 bytes),
	 * bytes for binary.
	 */
	int size() {
		String text = this.text;
		return (text != null) ? text.length() : this.binary.remaining();
	}

	/**
	 * Returns the size of the payload on the wire: UTF-8 bytes for text, bytes for
	 * binary.
	 */
	int encodedSize() {
		ByteBuffer payload = (this.utf8 != null) ? this.utf8 : this.binary;
		return payload.remaining();
	}

	boolean isText() {
		return this.text != null;
	}

	String text() {
		String text = this.text;
		return (text != null) ? text : StandardCharsets.UTF_8.decode(binary()).toString();
	}

	/**
	 * Returns a fresh view of the UTF-8 bytes of a text message, shared with every other
	 * view; each writer needs its own position.
	 */
	ByteBuffer utf8() {
		ByteBuffer utf8 = this.utf8;
		return (utf8 != null) ? utf8.duplicate() : this.binary.duplicate();
	}

	/**
	 * Returns a fresh view of the binary payload; each writer needs its own position.
	 */
	ByteBuffer binary() {
		ByteBuffer binary = this.binary;
		return (binary != null) ? binary.duplicate() : this.utf8.duplicate();
	}

	/**
	 * Returns the message as Spring's type, for sessions written through
	 * {@code WebSocketSession.sendMessage}. A text message is created once and shared; a
	 * binary one is created per call because writing consumes its buffer.
	 */
	org.springframework.web.socket.WebSocketMessage<?> toSpringMessage() {
		if (this.ping) {
			return new PingMessage(binary());
		}
		if (!isText()) {
			return new BinaryMessage(binary());
		}
		org.springframework.web.socket.WebSocketMessage<?> message = this.springMessage;
		if (message == null) {
			message = new TextMessage(text());
			this.springMessage = message;
		}
		return message;
	}

}
