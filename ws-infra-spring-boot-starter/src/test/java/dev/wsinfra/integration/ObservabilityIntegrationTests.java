package dev.wsinfra.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics scraped from {@code /actuator/prometheus}, the {@code websocket} health contributor,
 * the statistics endpoint, and the application's own HTTP endpoints left as they were.
 */
@WsIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	private HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void metricsAreScrapedWithTheInstanceTag() throws Exception {
		try (WsTestClient client = WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/user/echo"))
			.bearer(TestTokens.user("metered").sign())
			.open()) {
			client.nextText();
			client.send("counted");
			client.nextText();
			this.manager.broadcast("to all");
			this.manager.sendToUser("metered", "to one");
		}
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("websocket_connections_total{instance=\"test-instance\"}")
			.contains("websocket_connections_active{instance=\"test-instance\"}")
			.contains("websocket_messages_received_total{instance=\"test-instance\",type=\"text\"}")
			.contains("websocket_messages_sent_total{instance=\"test-instance\",type=\"broadcast\"}")
			.contains("websocket_messages_sent_total{instance=\"test-instance\",type=\"user\"}")
			.contains("websocket_messages_sent_total{instance=\"test-instance\",type=\"direct\"}")
			.contains("websocket_message_processing_seconds_count{instance=\"test-instance\",type=\"text\"}")
			.contains("websocket_message_processing_seconds_count{instance=\"test-instance\",type=\"broadcast\"}");
	}

	@Test
	void healthContributorReportsTheSeedsFields() throws Exception {
		HttpResponse<String> response = get("/actuator/health/websocket");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode health = this.json.readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("instanceId").asString()).isEqualTo("test-instance");
		assertThat(health.path("details").has("localConnections")).isTrue();
		assertThat(health.path("details").has("localUsers")).isTrue();
		assertThat(health.path("details").has("localRooms")).isTrue();
	}

	@Test
	void statsEndpointListsConnectionsUsersAndRooms() throws Exception {
		try (WsTestClient client = WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/user/echo"))
			.bearer(TestTokens.user("statistician").sign())
			.open()) {
			client.nextText();
			this.manager.joinRoom("statistician", "numbers");
			JsonNode stats = this.json.readTree(get("/actuator/websocket").body());
			assertThat(stats.path("instanceId").asString()).isEqualTo("test-instance");
			assertThat(stats.path("connections").asInt()).isPositive();
			assertThat(stats.path("users").valueStream().map(JsonNode::asString)).contains("statistician");
			assertThat(stats.path("rooms").asInt()).isPositive();
			JsonNode user = this.json.readTree(get("/actuator/websocket/statistician").body());
			assertThat(user.path("connections").get(0).path("rooms").get(0).asString()).isEqualTo("numbers");
		}
	}

	@Test
	void plainControllerStillAnswersWithoutCredentials(CapturedOutput output) throws Exception {
		HttpResponse<String> response = get("/hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
		assertThat(get("/login").statusCode()).isEqualTo(404);
		assertThat(output.getAll()).doesNotContain("Using generated security password");
	}

}
