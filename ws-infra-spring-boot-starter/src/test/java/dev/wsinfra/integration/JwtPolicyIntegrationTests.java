package dev.wsinfra.integration;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT policy against a real server: by default a token without {@code exp}, or issued
 * in the future beyond the clock skew, is refused at the handshake and on refresh; two
 * properties accept them.
 */
@WsIntegrationTest
class JwtPolicyIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private URI uri(String pathAndQuery) {
		return uri(this.port, pathAndQuery);
	}

	private static URI uri(int port, String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
	}

	/** A token issued ten minutes from now, beyond any clock skew. */
	private static String futureToken(String user) {
		return TestTokens.user(user).issuedAt(Instant.now().plusSeconds(600)).expiresIn(Duration.ofMinutes(20)).sign();
	}

	@Test
	void tokenWithoutExpirationIsRefusedAtTheHandshake() throws Exception {
		// #11
		String eternal = TestTokens.user("eternal").withoutExpiration().sign();
		assertThat(WsTestClient.to(uri("/protected/echo")).bearer(eternal).openRefused().statusCode()).isEqualTo(401);
		assertThat(WsTestClient.to(uri("/optional/echo?token=" + eternal)).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void tokenIssuedInTheFutureIsRefusedAtTheHandshake() throws Exception {
		// #11
		assertThat(WsTestClient.to(uri("/user/echo")).bearer(futureToken("time-traveller")).openRefused().statusCode())
			.isEqualTo(401);
	}

	@Test
	void refreshWithTokenWithoutExpirationIsRefused() throws Exception {
		// #11
		String token = TestTokens.user("refresher").expiresIn(Duration.ofMinutes(5)).sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(token).open()) {
			client.nextText();
			String eternal = TestTokens.user("refresher").withoutExpiration().sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + eternal + "\"}");
			JsonNode refused = JSON.readTree(client.nextText());
			assertThat(refused.path("error").asString()).isEqualTo("invalid_token");
			assertThat(refused.path("message").asString()).contains("exp");
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + futureToken("refresher") + "\"}");
			refused = JSON.readTree(client.nextText());
			assertThat(refused.path("error").asString()).isEqualTo("invalid_token");
			assertThat(refused.path("message").asString()).contains("iat");
		}
	}

	/**
	 * The policy relaxed by {@code ws.auth.jwt.allow-missing-expiration} and
	 * {@code ws.auth.jwt.allow-future-issued-at}.
	 */
	@Nested
	@TestPropertySource(
			properties = { "ws.auth.jwt.allow-missing-expiration=true", "ws.auth.jwt.allow-future-issued-at=true" })
	class Lenient {

		@LocalServerPort
		private int port;

		@Test
		void tokenWithoutExpirationIsAccepted() throws Exception {
			// #11
			String eternal = TestTokens.user("eternal").withoutExpiration().sign();
			try (WsTestClient client = WsTestClient.to(uri(this.port, "/user/echo")).bearer(eternal).open()) {
				assertThat(JSON.readTree(client.nextText()).path("user").asString()).isEqualTo("eternal");
			}
		}

		@Test
		void refreshWithTokenWithoutExpirationIsAcceptedAndEndsTheExpiry() throws Exception {
			// #11
			String token = TestTokens.user("refresher").expiresIn(Duration.ofMinutes(5)).sign();
			try (WsTestClient client = WsTestClient.to(uri(this.port, "/user/echo")).bearer(token).open()) {
				client.nextText();
				String eternal = TestTokens.user("refresher").withoutExpiration().sign();
				client.send("{\"type\":\"auth.refresh\",\"token\":\"" + eternal + "\"}");
				JsonNode refreshed = JSON.readTree(client.nextText());
				assertThat(refreshed.path("type").asString()).isEqualTo("auth.refreshed");
				assertThat(refreshed.path("expiresAt").isNull()).isTrue();
			}
		}

		@Test
		void tokenIssuedInTheFutureIsAccepted() throws Exception {
			// #11
			try (WsTestClient client = WsTestClient.to(uri(this.port, "/user/echo"))
				.bearer(futureToken("time-traveller"))
				.open()) {
				assertThat(JSON.readTree(client.nextText()).path("user").asString()).isEqualTo("time-traveller");
			}
		}

	}

}
