package dev.wsinfra.client.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Frame helpers for the parts of RFC 6455 the client handles below Tyrus: header lengths
 * and close frames.
 */
public final class Frames {

	/** Opcode of a continuation frame. */
	static final int CONTINUATION = 0x0;

	/** Opcode of a text frame. */
	static final int TEXT = 0x1;

	/** Opcode of a close frame. */
	static final int CLOSE = 0x8;

	/** Longest frame header: 2 bytes, an 8-byte length and a 4-byte mask. */
	static final int MAX_HEADER_LENGTH = 14;

	/**
	 * Longest close reason: a control frame carries at most 125 bytes, 2 of them the
	 * code.
	 */
	public static final int MAX_CLOSE_REASON_BYTES = 123;

	private static final SecureRandom MASKS = new SecureRandom();

	private Frames() {
	}

	/**
	 * Returns the length of a frame header from its second byte.
	 * @param second the second byte of the frame
	 * @return 2 to 14
	 */
	static int headerLength(byte second) {
		int length7 = second & 0x7F;
		int extended = (length7 == 126) ? 2 : ((length7 == 127) ? 8 : 0);
		return 2 + extended + (((second & 0x80) != 0) ? 4 : 0);
	}

	/**
	 * Builds a masked close frame, as a client must send it.
	 * @param code the close code
	 * @param reason the reason, at most {@value #MAX_CLOSE_REASON_BYTES} bytes in UTF-8
	 * @return the frame, ready to write
	 */
	public static ByteBuffer close(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		if (text.length > MAX_CLOSE_REASON_BYTES) {
			throw new IllegalArgumentException(
					"Close reason must be at most " + MAX_CLOSE_REASON_BYTES + " bytes in UTF-8, was " + text.length);
		}
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		byte[] mask = new byte[4];
		MASKS.nextBytes(mask);
		ByteBuffer frame = ByteBuffer.allocate(2 + 4 + payload.length);
		frame.put((byte) (0x80 | CLOSE));
		frame.put((byte) (0x80 | payload.length));
		frame.put(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.put((byte) (payload[i] ^ mask[i % 4]));
		}
		return frame.flip();
	}

	/**
	 * Reads the code of a close frame's payload.
	 * @param payload the unmasked payload
	 * @return the code, 1005 when there is none, 1002 for a one-byte payload
	 */
	static int closeCode(byte[] payload) {
		if (payload.length == 0) {
			return 1005;
		}
		if (payload.length == 1) {
			return 1002;
		}
		return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
	}

	/**
	 * Reads the reason of a close frame's payload.
	 * @param payload the unmasked payload
	 * @return the reason, empty when there is none
	 */
	static String closeReason(byte[] payload) {
		return (payload.length <= 2) ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
	}

}
