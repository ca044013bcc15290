package dev.wsinfra.autoconfigure.realtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that cannot be reached: the browser gets an error event and 1014.
 */
@SpringBootTest(classes = RelayTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.realtime.enabled=true",
				"ws.realtime.api-key=" + RelayTestApplication.API_KEY })
class RealtimeRelayUnreachableIntegrationTests {

	@DynamicPropertySource
	static void provider(DynamicPropertyRegistry registry) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		registry.add("ws.realtime.url", () -> "ws://127.0.0.1:" + closedPort + "/v1/realtime");
	}

	@LocalServerPort
	int port;

	@Test // #17
	void anUnreachableProviderGivesAnErrorEventAndClose1014() {
		try (WsTestClient browser = WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/ws/realtime"))
			.bearer(TestTokens.user("sybil").sign())
			.open()) {
			browser.sendJson(Map.of("type", "response.create"));
			JsonNode error = browser.awaitJson((event) -> event.path("type").asString().equals("error"));
			assertThat(error.at("/error/code").asString()).isEqualTo("provider_unreachable");
			WsTestClient.Close close = browser.awaitClose();
			assertThat(close.code()).isEqualTo(1014);
			assertThat(close.reason()).isEqualTo("Provider unreachable");
		}
	}

	@Test // #17
	void aBrowserWithoutATokenIsRefusedAtTheHandshake() {
		assertThat(
				WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/ws/realtime")).openRefused().statusCode())
			.isEqualTo(401);
	}

}
