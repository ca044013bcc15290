package dev.wsinfra.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogValuesTests {

	@Test // #11
	void newlineCannotForgeASecondLogLine() {
		assertThat(LogValues.escape("alice\nINFO forged line")).isEqualTo("alice\\u000aINFO forged line")
			.doesNotContain("\n");
	}

	@Test // #11
	void terminalEscapesAndUnicodeSeparatorsAreEscaped() {
		assertThat(LogValues.escape("\u001b[2Jx\r\u2028\u0085")).isEqualTo("\\u001b[2Jx\\u000d\\u2028\\u0085");
	}

	@Test // #11
	void bidiControlsAreEscaped() {
		assertThat(LogValues.escape("a\u202eb\u2066c\u200fd")).isEqualTo("a\\u202eb\\u2066c\\u200fd");
	}

	@Test // #11
	void backslashIsDoubledSoThatAnEscapeCannotBeFaked() {
		assertThat(LogValues.escape("a\\u000ab")).isEqualTo("a\\\\u000ab");
	}

	@Test
	void plainValueIsReturnedAsItIs() {
		String value = "user-42@example.com";
		assertThat(LogValues.escape(value)).isSameAs(value);
		assertThat(LogValues.escape(null)).isEqualTo("null");
	}

	@Test // #11
	void longValueIsCutWithACountOfWhatWasLeftOut() {
		String escaped = LogValues.escape("x".repeat(LogValues.MAX_LENGTH + 100));
		assertThat(escaped).startsWith("x".repeat(LogValues.MAX_LENGTH)).endsWith("...(100 more)");
	}

}
