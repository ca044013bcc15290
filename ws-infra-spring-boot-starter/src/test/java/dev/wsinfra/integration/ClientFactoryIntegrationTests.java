package dev.wsinfra.integration;

import java.time.Duration;

import dev.wsinfra.autoconfigure.client.WsClientFactory;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's {@link WsClientFactory} talking to the application's own endpoints:
 * configured from {@code ws.*}, JSON through the application's mapper, headers added per
 * connection.
 */
@WsIntegrationTest
class ClientFactoryIntegrationTests {

	@Autowired
	private WsClientFactory clients;

	@LocalServerPort
	private int port;

	@Test
	void factoryClientsCarryTheConfigurationFromProperties() {
		assertThat(this.clients.config().pingInterval()).contains(Duration.ofSeconds(1));
		assertThat(this.clients.config().maxMessageSize()).isEqualTo(64 * 1024);
		try (WebSocketClient client = this.clients.builder("ws://127.0.0.1:" + this.port + "/public/echo").build()) {
			assertThat(client.config()).isEqualTo(this.clients.config());
		}
	}

	@Test
	void openedClientEchoesJsonThroughAPublicEndpoint() {
		try (WebSocketClient client = this.clients.open("ws://127.0.0.1:" + this.port + "/public/echo")) {
			assertThat(client.recvJson().path("type").asString()).isEqualTo("hello");
			client.sendJson(new Ping("ping", 7));
			JsonNode echo = client.recvJson();
			assertThat(echo.path("type").asString()).isEqualTo("echo");
			assertThat(echo.path("data").path("n").asInt()).isEqualTo(7);
		}
	}

	@Test
	void builderAddsTheBearerTokenForAProtectedEndpoint() {
		String token = TestTokens.user("carol").sign();
		try (WebSocketClient client = this.clients.builder("ws://127.0.0.1:" + this.port + "/protected/echo")
			.header("Authorization", "Bearer " + token)
			.open()) {
			assertThat(client.recvJson().path("user").asString()).isEqualTo("carol");
		}
	}

	record Ping(String type, int n) {
	}

}
