package dev.wsinfra.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RangesTests {

	@Test // #12
	void messagesNameTheSettingAndTheValue() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Ranges.requirePositive("size", 0))
			.withMessage("size must be greater than 0, was 0");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Ranges.requireZeroOrMore("limit", -1, "unlimited"))
			.withMessage("limit must be 0 (unlimited) or more, was -1");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Ranges.requirePositive("timeout", Duration.ZERO))
			.withMessage("timeout must be a positive duration, was PT0S");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Ranges.requireZeroOrPositive("delay", Duration.ofSeconds(-1), "no limit"))
			.withMessage("delay must be 0 (no limit) or a positive duration, was PT-1S");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Ranges.requireAtLeast("ttl", Duration.ofSeconds(1), Duration.ofSeconds(2)))
			.withMessage("ttl must be at least PT2S, was PT1S");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Ranges.requirePositive("timeout", (Duration) null))
			.withMessage("timeout must be a positive duration, was null");
	}

	@Test // #12
	void valuesInRangePass() {
		assertThatNoException().isThrownBy(() -> {
			Ranges.requirePositive("size", 1);
			Ranges.requireZeroOrMore("limit", 0, "unlimited");
			Ranges.requirePositive("timeout", Duration.ofMillis(1));
			Ranges.requireZeroOrPositive("delay", Duration.ZERO, "no limit");
			Ranges.requireAtLeast("ttl", Duration.ofSeconds(2), Duration.ofSeconds(2));
		});
	}

}
