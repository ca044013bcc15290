package dev.wsinfra.samples.security;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class DevTokenIntegrationTests extends SampleAppTests {

	@Autowired
	JwtDecoder decoder;

	@Test
	void aTokenNamesTheUserAndTheScopesAndExpiresInAnHour() {
		Jwt jwt = this.decoder.decode(this.clients.token("alice", "notify", "realtime"));
		assertThat(jwt.getSubject()).isEqualTo("alice");
		assertThat(jwt.getClaimAsString("scope")).isEqualTo("notify realtime");
		assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
		assertThat(jwt.getExpiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
				Instant.now().plus(Duration.ofMinutes(61)));
	}

	@Test
	void badRequestsAreAnswered400WithTheReason() {
		assertBadRequest(this.clients.post("/dev/token", Map.of(), null), "user must be");
		assertBadRequest(this.clients.post("/dev/token", Map.of("user", "no spaces"), null), "user must be");
		assertBadRequest(this.clients.post("/dev/token", Map.of("user", "x".repeat(33)), null), "user must be");
		assertBadRequest(this.clients.post("/dev/token", Map.of("user", "ok", "scopes", List.of("a b")), null),
				"each scope");
		assertBadRequest(this.clients.post("/dev/token", "not an object", null), "the body must be JSON");
	}

	@Test // #16
	void aRevocationClosesTheUsersConnectionsWith4003AndNamesTheUserWhenItIsValid() {
		WsTestClient revoked = this.clients.connect("/ws/notifications", "revoked");
		revoked.sendJson(Map.of("type", "ping"));
		assertThat(revoked.nextJson().path("type").asString()).isEqualTo("pong");
		assertThat(this.clients.post("/dev/revoke", Map.of("user", "revoked"), null).statusCode()).isEqualTo(202);
		SampleClients.assertClosedWith(revoked, 4003);
		assertBadRequest(this.clients.post("/dev/revoke", Map.of("user", "no spaces"), null), "user must be");
		assertBadRequest(this.clients.post("/dev/revoke", Map.of(), null), "user must be");
	}

	private static void assertBadRequest(HttpResponse<String> response, String reason) {
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("invalid_request").contains(reason);
	}

}
