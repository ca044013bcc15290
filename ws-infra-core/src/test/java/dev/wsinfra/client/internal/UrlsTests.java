package dev.wsinfra.client.internal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UrlsTests {

	@Test
	void redactionDropsQueryAndUserInfo() {
		assertThat(Urls.redact(URI.create("wss://user:pass@api.example.com:8443/v1/realtime?token=secret#x")))
			.isEqualTo("wss://api.example.com:8443/v1/realtime");
		assertThat(Urls.redact(URI.create("ws://localhost"))).isEqualTo("ws://localhost");
	}

	@Test
	void retryAfterReadsSecondsAndHttpDates() {
		Instant now = Instant.parse("2025-01-01T00:00:00Z");
		assertThat(Urls.parseRetryAfter(" 120 ", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(Urls.parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
		assertThat(Urls.parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).isEqualTo(Duration.ZERO);
	}

	@Test
	void unreadableRetryAfterIsIgnored() {
		Instant now = Instant.now();
		assertThat(Urls.parseRetryAfter(null, now)).isNull();
		assertThat(Urls.parseRetryAfter("", now)).isNull();
		assertThat(Urls.parseRetryAfter("soon", now)).isNull();
		assertThat(Urls.parseRetryAfter("-5", now)).isNull();
	}

	@Test
	void secondsAreWrittenWithoutTrailingZeros() {
		assertThat(Urls.seconds(Duration.ofMillis(500))).isEqualTo("0.5 s");
		assertThat(Urls.seconds(Duration.ofSeconds(10))).isEqualTo("10 s");
	}

}
