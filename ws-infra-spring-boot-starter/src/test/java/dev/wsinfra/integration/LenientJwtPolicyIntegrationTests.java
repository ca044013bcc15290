package dev.wsinfra.integration;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.wsinfra.testsupport.TestTokens;
import dev.wsinfra.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT policy relaxed by {@code ws.auth.jwt.allow-missing-expiration} and
 * {@code ws.auth.jwt.allow-future-issued-at}, against a real server.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.auth.jwt.allow-missing-expiration=true",
				"ws.auth.jwt.allow-future-issued-at=true" })
class LenientJwtPolicyIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

	@Test
	void tokenWithoutExpirationIsAccepted() throws Exception {
		// #11
		String eternal = TestTokens.user("eternal").withoutExpiration().sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(eternal).open()) {
			assertThat(this.json.readTree(client.nextText()).path("user").asString()).isEqualTo("eternal");
		}
	}

	@Test
	void refreshWithTokenWithoutExpirationIsAcceptedAndEndsTheExpiry() throws Exception {
		// #11
		String token = TestTokens.user("refresher").expiresIn(Duration.ofMinutes(5)).sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(token).open()) {
			client.nextText();
			String eternal = TestTokens.user("refresher").withoutExpiration().sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + eternal + "\"}");
			JsonNode refreshed = this.json.readTree(client.nextText());
			assertThat(refreshed.path("type").asString()).isEqualTo("auth.refreshed");
			assertThat(refreshed.path("expiresAt").isNull()).isTrue();
		}
	}

	@Test
	void tokenIssuedInTheFutureIsAccepted() throws Exception {
		// #11
		String future = TestTokens.user("time-traveller").issuedAt(Instant.now().plusSeconds(600))
			.expiresIn(Duration.ofMinutes(20))
			.sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(future).open()) {
			assertThat(this.json.readTree(client.nextText()).path("user").asString()).isEqualTo("time-traveller");
		}
	}

}
