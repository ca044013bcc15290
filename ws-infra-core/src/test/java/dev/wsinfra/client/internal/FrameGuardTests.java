package dev.wsinfra.client.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class FrameGuardTests {

	private static final int LIMIT = 200_000;

	private static final String INVALID_UTF8 = "invalid 1007 Invalid UTF-8";

	private final List<String> events = new ArrayList<>();

	private final List<byte[]> forwarded = new ArrayList<>();

	private final FrameGuard guard = new FrameGuard((data) -> {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		this.forwarded.add(bytes);
		this.events.add("forwarded " + bytes.length);
	}, LIMIT, new FrameGuard.Events() {

		@Override
		public void messageTooLarge(long size) {
			FrameGuardTests.this.events.add("too large " + size);
		}

		@Override
		public void invalidFrame(int code, String reason) {
			FrameGuardTests.this.events.add("invalid " + code + " " + reason);
		}

		@Override
		public void peerClosed(int code, String reason) {
			FrameGuardTests.this.events.add("peer closed " + code + " " + reason);
		}

	});

	@ParameterizedTest(name = "seed {0}")
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void passesEveryByteOnInOrderWhateverTheChunking(int seed) {
		Random random = new Random(seed);
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (int i = 0; i < 40; i++) {
			int kind = random.nextInt(5);
			byte[] payload = new byte[(kind == 0) ? random.nextInt(126) : random.nextInt(70_000)];
			random.nextBytes(payload);
			if (kind == 0) {
				stream.writeBytes(frame(true, 0x9, payload));
			}
			else if (kind == 1) {
				stream.writeBytes(frame(false, 0x2, payload));
				stream.writeBytes(frame(true, 0x0, new byte[random.nextInt(300)]));
			}
			else {
				stream.writeBytes(frame(true, 0x1, text(random, payload.length)));
			}
		}
		byte[] input = stream.toByteArray();
		feedInRandomChunks(input, random);
		assertThat(concat(this.forwarded)).isEqualTo(input);
		assertThat(this.events).noneMatch((event) -> event.startsWith("too large") || event.startsWith("peer"));
	}

	@Test
	void deliversALargeFrameInOneCallWithItsHeader() {
		byte[] small = frame(true, 0x1, "hello".getBytes(StandardCharsets.UTF_8));
		byte[] large = frame(true, 0x2, new byte[150_000]);
		feedInRandomChunks(concat(List.of(small, large, small)), new Random(42));
		assertThat(this.forwarded).anySatisfy((call) -> assertThat(call).isEqualTo(large));
		assertThat(concat(this.forwarded)).isEqualTo(concat(List.of(small, large, small)));
	}

	@Test
	void acceptsAMessageOfExactlyTheLimit() {
		byte[] exact = frame(true, 0x2, new byte[LIMIT]);
		this.guard.handle(ByteBuffer.wrap(exact));
		assertThat(concat(this.forwarded)).isEqualTo(exact);
		assertThat(this.events).noneMatch((event) -> event.startsWith("too large"));
	}

	@Test
	void refusesASingleFrameOverTheLimitBeforeItsPayloadAfterTheFramesBeforeIt() {
		byte[] before = frame(true, 0x1, "first".getBytes(StandardCharsets.UTF_8));
		byte[] tooLarge = frame(true, 0x1, new byte[LIMIT + 1]);
		byte[] after = frame(true, 0x1, "never".getBytes(StandardCharsets.UTF_8));
		this.guard.handle(ByteBuffer.wrap(concat(List.of(before, Arrays.copyOf(tooLarge, 20)))));
		this.guard.handle(ByteBuffer.wrap(Arrays.copyOfRange(tooLarge, 20, tooLarge.length)));
		this.guard.handle(ByteBuffer.wrap(after));
		assertThat(this.events).containsExactly("forwarded " + before.length, "too large " + (LIMIT + 1));
	}

	@Test
	void refusesFragmentsWhoseSumExceedsTheLimit() {
		byte[] first = frame(false, 0x2, new byte[LIMIT / 2]);
		byte[] second = frame(false, 0x0, new byte[LIMIT / 2]);
		byte[] third = frame(true, 0x0, new byte[10]);
		this.guard.handle(ByteBuffer.wrap(concat(List.of(first, second, third))));
		assertThat(this.events).containsExactly("forwarded " + first.length, "forwarded " + second.length,
				"too large " + (LIMIT + 10));
	}

	@Test
	void countsEachMessageOnItsOwn() {
		byte[] half = frame(true, 0x1, new byte[LIMIT / 2 + 1]);
		this.guard.handle(ByteBuffer.wrap(concat(List.of(half, half, half))));
		assertThat(this.events).noneMatch((event) -> event.startsWith("too large"));
	}

	@Test
	void whileClosingDropsDataAndReportsThePeerCloseSplitAcrossReads() {
		this.guard.startClosing();
		byte[] data = frame(true, 0x1, "late".getBytes(StandardCharsets.UTF_8));
		byte[] payload = closePayload(1000, "bye");
		byte[] close = frame(true, 0x8, payload);
		byte[] input = concat(List.of(data, close));
		for (byte b : input) {
			this.guard.handle(ByteBuffer.wrap(new byte[] { b }));
		}
		assertThat(this.events).containsExactly("peer closed 1000 bye");
	}

	@Test
	void unmasksAPeerCloseThatCameMasked() {
		this.guard.startClosing();
		this.guard.handle(ByteBuffer.wrap(maskedFrame(0x8, closePayload(4001, "policy"))));
		assertThat(this.events).containsExactly("peer closed 4001 policy");
	}

	@Test
	void readsAnEmptyCloseAsNoStatus() {
		this.guard.startClosing();
		this.guard.handle(ByteBuffer.wrap(frame(true, 0x8, new byte[0])));
		assertThat(this.events).containsExactly("peer closed 1005 ");
	}

	@Test
	void stopsForwardingMidFrameWhenClosingStarts() {
		byte[] text = frame(true, 0x1, new byte[1000]);
		this.guard.handle(ByteBuffer.wrap(Arrays.copyOf(text, 100)));
		this.guard.startClosing();
		this.guard.handle(ByteBuffer.wrap(Arrays.copyOfRange(text, 100, text.length)));
		this.guard.handle(ByteBuffer.wrap(frame(true, 0x8, closePayload(1001, ""))));
		assertThat(this.events).containsExactly("forwarded 100", "peer closed 1001 ");
	}

	@Test
	void framesOfEveryLengthEncodingAreTracked() {
		byte[] tiny = frame(true, 0x1, new byte[125]);
		byte[] medium = frame(true, 0x1, new byte[65_535]);
		byte[] large = frame(true, 0x1, new byte[65_536]);
		byte[] input = concat(List.of(tiny, medium, large, tiny));
		this.guard.handle(ByteBuffer.wrap(input));
		assertThat(concat(this.forwarded)).isEqualTo(input);
	}

	@Test
	void buildsAMaskedCloseFrameThatReadsBack() {
		ByteBuffer close = Frames.close(1009, "Message too big");
		byte[] bytes = new byte[close.remaining()];
		close.get(bytes);
		assertThat(bytes[0]).isEqualTo((byte) 0x88);
		assertThat(bytes[1] & 0x80).isEqualTo(0x80);
		this.guard.startClosing();
		this.guard.handle(ByteBuffer.wrap(bytes));
		assertThat(this.events).containsExactly("peer closed 1009 Message too big");
	}

	@Test // #11
	void refusesInvalidTextAtTheOffendingByteBeforeALargeFrameIsComplete() {
		byte[] before = frame(true, 0x1, "valid".getBytes(StandardCharsets.UTF_8));
		byte[] invalid = frame(true, 0x1, invalidAt(10, 150_000));
		this.guard.handle(ByteBuffer.wrap(concat(List.of(before, Arrays.copyOf(invalid, 10 + 64)))));
		assertThat(this.events).containsExactly("forwarded " + before.length, INVALID_UTF8);
		this.guard.handle(ByteBuffer.wrap(Arrays.copyOfRange(invalid, 10 + 64, invalid.length)));
		this.guard.handle(ByteBuffer.wrap(frame(true, 0x8, closePayload(1007, ""))));
		assertThat(this.events).containsExactly("forwarded " + before.length, INVALID_UTF8, "peer closed 1007 ");
	}

	@Test // #11
	void refusesInvalidTextBeforePassingOnTheOffendingByteOfASmallFrame() {
		byte[] before = frame(true, 0x1, "valid".getBytes(StandardCharsets.UTF_8));
		byte[] invalid = frame(true, 0x1, invalidAt(10, 1000));
		this.guard.handle(ByteBuffer.wrap(before));
		this.guard.handle(ByteBuffer.wrap(Arrays.copyOf(invalid, 4 + 64)));
		assertThat(this.events).containsExactly("forwarded " + before.length, "forwarded 4", INVALID_UTF8);
	}

	@Test // #14
	void leavesTheTextOfACompressedMessageToBeCheckedOnceInflated() {
		// permessage-deflate: RSV1 on the first frame; its bytes are not UTF-8 text yet.
		byte[] first = frame(false, 0x1, invalidAt(2, 100));
		first[0] |= 0x40;
		byte[] last = frame(true, 0x0, invalidAt(0, 50));
		byte[] plain = frame(true, 0x1, invalidAt(3, 20));
		this.guard.handle(ByteBuffer.wrap(concat(List.of(first, last))));
		assertThat(this.events).doesNotContain(INVALID_UTF8);
		assertThat(concat(this.forwarded)).isEqualTo(concat(List.of(first, last)));
		this.guard.handle(ByteBuffer.wrap(plain));
		assertThat(this.events).endsWith(INVALID_UTF8);
	}

	@Test // #11
	void checksASequenceThatSpansFragmentsAndPings() {
		byte[] first = frame(false, 0x1, new byte[] { 'a', (byte) 0xE2 });
		byte[] ping = frame(true, 0x9, new byte[] { (byte) 0xFF });
		byte[] second = frame(false, 0x0, new byte[] { (byte) 0x82 });
		byte[] valid = frame(true, 0x0, new byte[] { (byte) 0xAC, 'b' });
		byte[] input = concat(List.of(first, ping, second, valid));
		feedInRandomChunks(input, new Random(7));
		assertThat(concat(this.forwarded)).isEqualTo(input);
		byte[] invalid = frame(true, 0x0, new byte[] { '(', 'b' });
		this.guard.handle(ByteBuffer.wrap(concat(List.of(first, ping, second, invalid))));
		assertThat(this.events).endsWith(INVALID_UTF8);
	}

	@Test // #11
	void refusesATextMessageThatEndsInsideASequence() {
		this.guard.handle(ByteBuffer.wrap(frame(false, 0x1, new byte[] { 'a', (byte) 0xE2, (byte) 0x82 })));
		this.guard.handle(ByteBuffer.wrap(frame(true, 0x0, new byte[0])));
		assertThat(this.events).containsExactly("forwarded 5", INVALID_UTF8);
	}

	@Test // #11
	void passesBinaryMessagesOnUnchecked() {
		byte[] binary = frame(false, 0x2, invalidAt(0, 100));
		byte[] continuation = frame(true, 0x0, invalidAt(3, 100));
		byte[] input = concat(List.of(binary, continuation));
		this.guard.handle(ByteBuffer.wrap(input));
		assertThat(concat(this.forwarded)).isEqualTo(input);
		assertThat(this.events).doesNotContain(INVALID_UTF8);
	}

	@Test // #11
	void refusesAMaskedFrameFromTheServer() {
		byte[] before = frame(true, 0x1, "valid".getBytes(StandardCharsets.UTF_8));
		byte[] masked = maskedFrame(0x1, "masked".getBytes(StandardCharsets.UTF_8));
		this.guard.handle(ByteBuffer.wrap(concat(List.of(before, masked, before))));
		assertThat(this.events).containsExactly("forwarded " + before.length, "invalid 1002 Masked frame");
	}

	private static byte[] invalidAt(int index, int length) {
		byte[] payload = new byte[length];
		Arrays.fill(payload, (byte) 'x');
		payload[index] = (byte) 0xC0;
		payload[index + 1] = (byte) 0xAF;
		return payload;
	}

	/**
	 * Returns valid UTF-8 of about {@code length} bytes, with characters of every width.
	 */
	private static byte[] text(Random random, int length) {
		String[] characters = { "a", "\u00e9", "\u20ac", "\ud83d\ude00" };
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		while (text.size() < length) {
			text.writeBytes(characters[random.nextInt(characters.length)].getBytes(StandardCharsets.UTF_8));
		}
		return text.toByteArray();
	}

	private void feedInRandomChunks(byte[] input, Random random) {
		int offset = 0;
		while (offset < input.length) {
			int size = Math.min(input.length - offset, 1 + random.nextInt(5000));
			ByteBuffer chunk = ByteBuffer.wrap(input, offset, size);
			this.guard.handle(chunk);
			assertThat(chunk.hasRemaining()).isFalse();
			offset += size;
		}
	}

	static byte[] frame(boolean fin, int opcode, byte[] payload) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write((fin ? 0x80 : 0) | opcode);
		writeLength(out, 0, payload.length);
		out.writeBytes(payload);
		return out.toByteArray();
	}

	private static byte[] maskedFrame(int opcode, byte[] payload) {
		byte[] mask = { 1, 2, 3, 4 };
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0x80 | opcode);
		writeLength(out, 0x80, payload.length);
		out.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			out.write(payload[i] ^ mask[i % 4]);
		}
		return out.toByteArray();
	}

	private static void writeLength(ByteArrayOutputStream out, int maskBit, int length) {
		if (length < 126) {
			out.write(maskBit | length);
		}
		else if (length < 65_536) {
			out.write(maskBit | 126);
			out.write(length >> 8);
			out.write(length);
		}
		else {
			out.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				out.write((int) ((long) length >> shift));
			}
		}
	}

	private static byte[] closePayload(int code, String reason) {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		return payload;
	}

	private static byte[] concat(List<byte[]> parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		parts.forEach(out::writeBytes);
		return out.toByteArray();
	}

}
