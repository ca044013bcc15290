package dev.wsinfra.samples.dashboard;

import java.time.Instant;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

class DashboardIntegrationTests extends SampleAppTests {

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

	@Test
	void theStatsEndpointAnswersTheSeedsFigures() {
		this.clients.connect("/ws/notifications", "tina");
		JsonNode stats = JsonMapper.builder().build().readTree(this.clients.get("/ws/stats").body());
		assertThat(stats.path("connections").asInt()).isPositive();
		assertThat(stats.path("users").values()).extracting(JsonNode::asString).contains("tina");
		assertThat(stats.has("rooms")).isTrue();
		assertThat(stats.path("onlineUsers").asLong()).isPositive();
		assertThat(stats.path("instanceId").asString()).isNotBlank();
	}

}
