package dev.wsinfra.autoconfigure.endpoint.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.testsupport.ClosedPort;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class IssuerJwtDecoderTests {

	private final String token = TestTokens.user("someone").sign();

	private final MutableClock clock = new MutableClock();

	private final AtomicInteger attempts = new AtomicInteger();

	@Test
	void unreachableIssuerIsUnavailableAndRetriedOnlyAfterABackoff(CapturedOutput output) {
		// #4
		String issuer = ClosedPort.url("/issuer");
		IssuerJwtDecoder decoder = new IssuerJwtDecoder(issuer, () -> {
			this.attempts.incrementAndGet();
			return NimbusJwtDecoder.withIssuerLocation(issuer).build();
		}, this.clock);
		assertUnavailable(decoder);
		assertThat(output).contains("Could not discover the JWT keys of issuer " + issuer + " (attempt 1")
			.contains("answered with 503");
		assertUnavailable(decoder);
		assertThat(this.attempts).as("attempts within the first backoff").hasValue(1);
		this.clock.advance(Duration.ofMillis(1001));
		assertUnavailable(decoder);
		assertThat(this.attempts).hasValue(2);
		this.clock.advance(Duration.ofSeconds(1));
		assertUnavailable(decoder);
		assertThat(this.attempts).as("attempts within the doubled backoff").hasValue(2);
		this.clock.advance(Duration.ofMillis(1001));
		assertUnavailable(decoder);
		assertThat(this.attempts).hasValue(3);
	}

	@Test
	void issuerThatAnswersLaterIsUsedFromThenOn() {
		IssuerJwtDecoder decoder = new IssuerJwtDecoder("https://issuer.test", () -> {
			if (this.attempts.incrementAndGet() == 1) {
				throw new IllegalStateException("issuer down");
			}
			return (token) -> Jwt.withTokenValue(token).header("alg", "none").subject("later").build();
		}, this.clock);
		assertUnavailable(decoder);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(decoder.decode(this.token).getSubject()).isEqualTo("later");
		assertThat(decoder.decode(this.token).getSubject()).isEqualTo("later");
		assertThat(this.attempts).hasValue(2);
	}

	@Test
	void backoffDoublesFromOneSecondUpToOneMinute() {
		assertThat(IssuerJwtDecoder.backoff(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(IssuerJwtDecoder.backoff(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(IssuerJwtDecoder.backoff(6)).isEqualTo(Duration.ofSeconds(32));
		assertThat(IssuerJwtDecoder.backoff(7)).isEqualTo(Duration.ofMinutes(1));
		assertThat(IssuerJwtDecoder.backoff(1000)).isEqualTo(Duration.ofMinutes(1));
	}

	private void assertUnavailable(IssuerJwtDecoder decoder) {
		assertThatExceptionOfType(IssuerJwtDecoder.UnavailableException.class)
			.isThrownBy(() -> decoder.decode(this.token));
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2030-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
