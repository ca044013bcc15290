package dev.wsinfra.internal;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Tests {

	@ParameterizedTest
	@ValueSource(strings = { "", "ascii", "é", "€uro", "日本語", "emoji 😀 and 𝄞", "mixed é€😀a" })
	void encodedLengthMatchesTheEncoder(String text) {
		assertThat(Utf8.encodedLength(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\uD800", "a\uDC00b" })
	void anUnpairedSurrogateCountsAsThreeBytes(String text) {
		assertThat(Utf8.encodedLength(text)).isEqualTo(text.length() + 2);
	}

}
