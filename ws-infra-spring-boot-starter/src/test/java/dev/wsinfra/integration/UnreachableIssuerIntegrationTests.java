package dev.wsinfra.integration;

import java.net.URI;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.ClosedPort;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT validation by an issuer that cannot be reached: handshakes with a token are
 * answered 503 at once, while those that need no issuer still connect.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachableIssuerIntegrationTests {

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("ws.auth.jwt.issuer-uri", () -> ClosedPort.url("/issuer"));
	}

	@LocalServerPort
	private int port;

	private URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.port + path);
	}

	@Test
	void handshakesWithATokenGet503AndOthersStillConnect() throws Exception {
		// #4
		String token = TestTokens.user("patient").sign();
		assertThat(WsTestClient.to(uri("/user/echo")).bearer(token).openRefused().statusCode()).isEqualTo(503);
		assertThat(WsTestClient.to(uri("/protected/echo")).bearer(token).openRefused().statusCode()).isEqualTo(503);
		try (WsTestClient client = WsTestClient.to(uri("/protected/echo"))
			.header("X-API-Key", TestApplication.API_KEY)
			.open()) {
			assertThat(client.nextText()).contains("service-1");
		}
		try (WsTestClient client = WsTestClient.open(uri("/public/echo"))) {
			assertThat(client.nextText()).contains("hello");
		}
	}

}
