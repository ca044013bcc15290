package dev.wsinfra.integration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics scraped from {@code /actuator/prometheus}, the {@code websocket} health
 * contributor, the statistics endpoint, and the application's own HTTP endpoints left as
 * they were.
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

	private Map<String, Double> scrape() throws Exception {
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Double> samples = new HashMap<>();
		for (String line : response.body().split("\n")) {
			int space = line.lastIndexOf(' ');
			if (!line.startsWith("#") && space > 0) {
				samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
			}
		}
		return samples;
	}

	private static String series(String name, @Nullable String type) {
		return name + "{instance_id=\"test-instance\"" + ((type != null) ? ",type=\"" + type + "\"" : "") + "}";
	}

	private static double increase(Map<String, Double> before, Map<String, Double> after, String series) {
		assertThat(after).containsKey(series);
		return after.get(series) - before.getOrDefault(series, 0.0);
	}

	@Test // #12
	void metricsAreScrapedWithTheInstanceTagAndCountWhatHappened() throws Exception {
		Map<String, Double> before = scrape();
		Double activeDuring;
		try (WsTestClient client = WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/user/echo"))
			.bearer(TestTokens.user("metered").sign())
			.open()) {
			client.nextText();
			client.send("counted");
			client.nextText();
			this.manager.joinRoom("metered", "metered-room");
			this.manager.broadcastToRoom("metered-room", "to the room");
			this.manager.broadcast("to all");
			this.manager.sendToUser("metered", "to one");
			activeDuring = scrape().get(series("websocket_connections_active", null));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.isUserConnected("metered"));
		// A received message is counted once its handler returned, after the echo left.
		String processed = series("websocket_message_processing_seconds_count", "text");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> scrape().getOrDefault(processed, 0.0) > before.getOrDefault(processed, 0.0));
		Map<String, Double> after = scrape();
		// Prometheus gives every scraped series the label "instance" (the target): a
		// label of
		// that name from the application would be renamed exported_instance
		assertThat(after.keySet()).filteredOn((series) -> series.startsWith("websocket_"))
			.isNotEmpty()
			.noneMatch((series) -> series.contains("{instance=") || series.contains(",instance="));
		assertThat(increase(before, after, series("websocket_connections_total", null))).isOne();
		assertThat(activeDuring - after.get(series("websocket_connections_active", null))).isOne();
		assertThat(increase(before, after, series("websocket_messages_received_total", "text"))).isOne();
		assertThat(increase(before, after, processed)).isOne();
		assertThat(increase(before, after, series("websocket_messages_sent_total", "direct")))
			.as("the hello and the echo")
			.isEqualTo(2);
		assertThat(increase(before, after, series("websocket_messages_sent_total", "room"))).isOne();
		assertThat(increase(before, after, series("websocket_messages_sent_total", "user"))).isOne();
		assertThat(increase(before, after, series("websocket_messages_sent_total", "broadcast")))
			.as("one per connection held")
			.isGreaterThanOrEqualTo(1);
	}

	@Test // #14
	void healthContributorCountsTheLocalConnectionsUsersAndRooms() throws Exception {
		JsonNode during;
		try (WsTestClient client = WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/user/echo"))
			.bearer(TestTokens.user("healthy").sign())
			.open()) {
			client.nextText();
			this.manager.joinRoom("healthy", "healthy-room");
			during = health();
			assertThat(during.path("status").asString()).isEqualTo("UP");
			assertThat(during.path("details").path("instanceId").asString()).isEqualTo("test-instance");
		}
		// The same figures once that user's one connection and only room are gone.
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.isUserConnected("healthy"));
		JsonNode after = health().path("details");
		assertThat(during.path("details").path("localConnections").asInt() - after.path("localConnections").asInt())
			.isOne();
		assertThat(during.path("details").path("localUsers").asInt() - after.path("localUsers").asInt()).isOne();
		assertThat(during.path("details").path("localRooms").asInt() - after.path("localRooms").asInt()).isOne();
	}

	private JsonNode health() throws Exception {
		HttpResponse<String> response = get("/actuator/health/websocket");
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	@Test // #14
	void statsEndpointListsConnectionsUsersAndRooms() throws Exception {
		JsonNode during;
		try (WsTestClient client = WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + "/user/echo"))
			.bearer(TestTokens.user("statistician").sign())
			.open()) {
			client.nextText();
			this.manager.joinRoom("statistician", "numbers");
			during = this.json.readTree(get("/actuator/websocket").body());
			assertThat(during.path("instanceId").asString()).isEqualTo("test-instance");
			assertThat(during.path("users").valueStream().map(JsonNode::asString)).contains("statistician");
			JsonNode user = this.json.readTree(get("/actuator/websocket/statistician").body());
			assertThat(user.path("connections")).hasSize(1);
			assertThat(user.path("connections").get(0).path("rooms").get(0).asString()).isEqualTo("numbers");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.isUserConnected("statistician"));
		JsonNode after = this.json.readTree(get("/actuator/websocket").body());
		assertThat(after.path("users").valueStream().map(JsonNode::asString)).doesNotContain("statistician");
		assertThat(during.path("connections").asInt() - after.path("connections").asInt()).isOne();
		assertThat(during.path("rooms").asInt() - after.path("rooms").asInt()).isOne();
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
