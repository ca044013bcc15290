package dev.wsinfra.autoconfigure.endpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.internal.Utf8;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Joins the parts of one session's messages, as the container delivers them, into whole
 * messages up to a size limit in bytes (UTF-8 for text). Confined to the thread that
 * delivers the session's messages; the container delivers them one at a time.
 */
final class MessageAssembler {

	private final int limit;

	private @Nullable StringBuilder text;

	private long textBytes;

	private byte @Nullable [] binary;

	private int binaryLength;

	MessageAssembler(int limit) {
		this.limit = limit;
	}

	/**
	 * Adds a part of a text message.
	 * @return the whole message once its last part arrived, else {@code null}
	 * @throws MessageTooLargeException when the message exceeds the limit; what was
	 * gathered is dropped
	 */
	@Nullable TextMessage text(TextMessage part) {
		String payload = part.getPayload();
		long bytes = this.textBytes + Utf8.encodedLength(payload);
		if (bytes > this.limit) {
			reset();
			throw new MessageTooLargeException(bytes, this.limit);
		}
		StringBuilder pending = this.text;
		if (part.isLast()) {
			reset();
			return (pending != null) ? new TextMessage(pending.append(payload).toString()) : new TextMessage(payload);
		}
		if (pending == null) {
			pending = new StringBuilder(Math.max(16, payload.length() * 2));
			this.text = pending;
		}
		pending.append(payload);
		this.textBytes = bytes;
		return null;
	}

	/**
	 * Adds a part of a binary message; the part's buffer is copied, since the container
	 * reuses it.
	 * @return the whole message once its last part arrived, else {@code null}
	 * @throws MessageTooLargeException when the message exceeds the limit
	 */
	@Nullable BinaryMessage binary(BinaryMessage part) {
		ByteBuffer payload = part.getPayload();
		long bytes = (long) this.binaryLength + payload.remaining();
		if (bytes > this.limit) {
			reset();
			throw new MessageTooLargeException(bytes, this.limit);
		}
		byte[] pending = this.binary;
		if (pending == null || pending.length < bytes) {
			int capacity = (int) Math.min(this.limit, Math.max(bytes, (pending != null) ? pending.length * 2L : 64));
			pending = (pending != null) ? Arrays.copyOf(pending, capacity) : new byte[capacity];
			this.binary = pending;
		}
		payload.get(pending, this.binaryLength, payload.remaining());
		this.binaryLength = (int) bytes;
		if (!part.isLast()) {
			return null;
		}
		BinaryMessage whole = new BinaryMessage(ByteBuffer.wrap(pending, 0, this.binaryLength).slice());
		reset();
		return whole;
	}

	/**
	 * Accounts for a part passed on as it is, to a handler that takes partial messages.
	 * @throws MessageTooLargeException when the message exceeds the limit
	 */
	void passThrough(WebSocketMessage<?> part) {
		long size = (part instanceof TextMessage textPart) ? Utf8.encodedLength(textPart.getPayload())
				: part.getPayloadLength();
		long bytes = this.textBytes + size;
		if (bytes > this.limit) {
			reset();
			throw new MessageTooLargeException(bytes, this.limit);
		}
		this.textBytes = part.isLast() ? 0 : bytes;
	}

	/**
	 * Returns whether parts of a message passed on wait for its last part.
	 * @return {@code true} between the first and the last part of a message
	 */
	boolean passingThrough() {
		return this.textBytes > 0;
	}

	void reset() {
		this.text = null;
		this.textBytes = 0;
		this.binary = null;
		this.binaryLength = 0;
	}

}
