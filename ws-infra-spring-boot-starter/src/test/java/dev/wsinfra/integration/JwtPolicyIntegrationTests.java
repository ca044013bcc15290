package dev.wsinfra.integration;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.wsinfra.testsupport.TestTokens;
import dev.wsinfra.testsupport.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default JWT policy against a real server: a token without {@code exp}, or issued in
 * the future beyond the clock skew, is refused at the handshake and on refresh.
 */
@WsIntegrationTest
class JwtPolicyIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

	@Test
	void tokenWithoutExpirationIsRefusedAtTheHandshake() throws Exception {
		// #11
		String eternal = TestTokens.user("eternal").withoutExpiration().sign();
		assertThat(WsTestClient.refusedStatus(WsTestClient.to(uri("/protected/echo")).bearer(eternal)))
			.isEqualTo(401);
		assertThat(WsTestClient.refusedStatus(WsTestClient.to(uri("/optional/echo?token=" + eternal))))
			.isEqualTo(401);
	}

	@Test
	void tokenIssuedInTheFutureIsRefusedAtTheHandshake() throws Exception {
		// #11
		String future = TestTokens.user("time-traveller").issuedAt(Instant.now().plusSeconds(600))
			.expiresIn(Duration.ofMinutes(20))
			.sign();
		assertThat(WsTestClient.refusedStatus(WsTestClient.to(uri("/user/echo")).bearer(future))).isEqualTo(401);
	}

	@Test
	void refreshWithTokenWithoutExpirationIsRefused() throws Exception {
		// #11
		String token = TestTokens.user("refresher").expiresIn(Duration.ofMinutes(5)).sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(token).open()) {
			client.nextText();
			String eternal = TestTokens.user("refresher").withoutExpiration().sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + eternal + "\"}");
			JsonNode refused = this.json.readTree(client.nextText());
			assertThat(refused.path("error").asString()).isEqualTo("invalid_token");
			assertThat(refused.path("message").asString()).contains("exp");
			String future = TestTokens.user("refresher").issuedAt(Instant.now().plusSeconds(600))
			.expiresIn(Duration.ofMinutes(20))
			.sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + future + "\"}");
			refused = this.json.readTree(client.nextText());
			assertThat(refused.path("error").asString()).isEqualTo("invalid_token");
			assertThat(refused.path("message").asString()).contains("iat");
		}
	}

}
