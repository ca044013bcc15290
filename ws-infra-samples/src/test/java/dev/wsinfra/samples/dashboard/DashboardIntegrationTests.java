package dev.wsinfra.samples.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DashboardIntegrationTests extends SampleAppTests {

	@Autowired
	private ConnectionManager manager;

	@Test
	void aDashboardGetsAnUpdateAtOnceThenOnEveryTick() {
		WsTestClient dashboard = this.clients.connect("/ws/dashboard/live", "quinn");
		JsonNode first = next(dashboard);
		assertThat(first.path("type").asString()).isEqualTo("dashboard_update");
		assertThat(first.path("data").path("connections").asInt()).isPositive();
		assertThat(first.path("data").path("users").values()).extracting(JsonNode::asString).contains("quinn");
		JsonNode second = next(dashboard);
		JsonNode third = next(dashboard);
		assertThat(second.path("type").asString()).isEqualTo("dashboard_update");
		assertThat(Instant.parse(third.path("data").path("timestamp").asString()))
			.isAfter(Instant.parse(second.path("data").path("timestamp").asString()));
	}

	@Test
	void updatesReachDashboardsOnlyAndHeartbeatsAreAnswered() {
		WsTestClient chat = this.clients.connect("/ws/chat/dash", "rita");
		next(chat);
		WsTestClient dashboard = this.clients.connect("/ws/dashboard/live", "sam");
		next(dashboard);
		next(dashboard);
		assertNothingMore(chat);
		dashboard.sendJson(Map.of("type", "ping"));
		JsonNode answer = next(dashboard);
		while ("dashboard_update".equals(answer.path("type").asString())) {
			answer = next(dashboard);
		}
		assertThat(answer.path("type").asString()).isEqualTo("pong");
	}

	@Test // #14
	void theStatsEndpointAnswersTheSeedsFigures() {
		// The application is shared: start from no connection, so that each figure is
		// this test's.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.connectionCount() == 0);
		WsTestClient chat = this.clients.connect("/ws/chat/stats", "tina");
		next(chat);
		JsonNode stats = JsonMapper.builder().build().readTree(this.clients.get("/ws/stats").body());
		assertThat(stats.path("connections").asInt()).isOne();
		assertThat(stats.path("users").values()).extracting(JsonNode::asString).containsExactly("tina");
		assertThat(stats.path("rooms").asInt()).isOne();
		assertThat(stats.path("onlineUsers").asLong()).isOne();
		assertThat(stats.path("instanceId").asString()).isEqualTo("local");
	}

}
