package dev.wsinfra.client.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8ValidatorTests {

	@ParameterizedTest // #11
	@ValueSource(strings = { "", "ascii", "é", "€uro", "日本語", "emoji 😀 and 𝄞", "\uD7FF\uE000\uFFFF\uDBFF\uDFFF" })
	void acceptsValidTextFedOneByteAtATime(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		Utf8Validator validator = new Utf8Validator();
		for (int i = 0; i < bytes.length; i++) {
			assertThat(validator.accept(ByteBuffer.wrap(bytes), i, i + 1)).isTrue();
		}
		assertThat(validator.isComplete()).isTrue();
	}

	@ParameterizedTest(name = "{0}") // #11
	@CsvSource({ "41c0af, 1", "41e08080, 2", "eda080, 1", "f4908080, 1", "f58080, 0", "ff, 0", "4180, 1", "e282e282, 2",
			"c3c3, 1", "f0808080, 1" })
	void validatorRefusesAtTheOffendingByte(String hex, int offending) {
		byte[] bytes = HexFormat.of().parseHex(hex);
		Utf8Validator validator = new Utf8Validator();
		for (int i = 0; i < offending; i++) {
			assertThat(validator.accept(ByteBuffer.wrap(bytes), i, i + 1)).isTrue();
		}
		assertThat(validator.accept(ByteBuffer.wrap(bytes), offending, offending + 1)).isFalse();
	}

	@Test // #11
	void validatorReportsASequenceCutShortAsIncomplete() {
		Utf8Validator validator = new Utf8Validator();
		assertThat(validator.accept(ByteBuffer.wrap(HexFormat.of().parseHex("41e282")), 0, 3)).isTrue();
		assertThat(validator.isComplete()).isFalse();
		validator.reset();
		assertThat(validator.isComplete()).isTrue();
	}

	@Test // #11
	void agreesWithTheJdkDecoderOnRandomBytes() {
		// the bytes where the rules of RFC 3629 change, so that valid sequences come
		// up often
		byte[] edges = HexFormat.of().parseHex("417f808f909fa0bfc0c1c2dfe0e1ecedeeeff0f1f3f4f5ff");
		Random random = new Random(11);
		for (int round = 0; round < 50_000; round++) {
			byte[] bytes = new byte[1 + random.nextInt(8)];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = edges[random.nextInt(edges.length)];
			}
			Utf8Validator validator = new Utf8Validator();
			boolean valid = validator.accept(ByteBuffer.wrap(bytes), 0, bytes.length) && validator.isComplete();
			assertThat(valid).as(HexFormat.of().formatHex(bytes)).isEqualTo(decodes(bytes));
		}
	}

	private static boolean decodes(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

}
