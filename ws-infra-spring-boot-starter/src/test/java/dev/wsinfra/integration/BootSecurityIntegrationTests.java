package dev.wsinfra.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with Spring Boot's security module and no chain of its own (run by its
 * own Failsafe execution, the only one with that module on the class path): Boot's
 * default chain still protects the HTTP endpoints, and the WebSocket endpoints work with
 * ws-infra's own authentication.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ws.auth.jwt.secret=" + TestTokens.SECRET)
class BootSecurityIntegrationTests {

	@LocalServerPort
	private int port;

	@Test // #16
	void bootDefaultChainStillProtectsHttpAndWebSocketsUseTheirOwnAuthentication() throws Exception {
		HttpResponse<String> hello = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(hello.statusCode()).isEqualTo(401);
		HttpResponse<String> script = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/ws-infra/ws-infra.js")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(script.statusCode()).as("ws-infra.js is public").isEqualTo(200);
		URI endpoint = URI.create("ws://127.0.0.1:" + this.port + "/user/echo");
		try (WsTestClient client = WsTestClient.to(endpoint).bearer(TestTokens.user("booted").sign()).open()) {
			assertThat(client.nextText()).contains("\"user\":\"booted\"");
		}
		assertThat(WsTestClient.to(endpoint).openRefused().statusCode()).isEqualTo(401);
		try (WsTestClient client = WsTestClient.open(URI.create("ws://127.0.0.1:" + this.port + "/public/echo"))) {
			assertThat(client.nextText()).contains("hello");
		}
	}

}
