package dev.wsinfra.samples.outage;

import java.net.http.HttpResponse;
import java.time.Duration;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.samples.testsupport.HealthRequests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.wsinfra.samples.testsupport.SampleClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The sample on Redis, with Redis stopped after it started: it keeps serving, its probes keep
 * it in a load balancer's rotation, and its health says what is degraded.
 */
class RedisDownIntegrationTests extends RedisOutageTests {

	@Override
	void breakRedis() {
		this.redis.stop();
	}

	@Test // #11
	void springDataRedisWaitsAsLongAsTheManager() {
		Duration commandTimeout = this.sample.context().getBean(RedisConnectionManager.class).options().commandTimeout();
		LettuceClientConfiguration client = this.sample.context()
			.getBean(LettuceConnectionFactory.class)
			.getClientConfiguration();
		assertThat(client.getCommandTimeout()).isEqualTo(commandTimeout);
		assertThat(client.getClientOptions()).hasValueSatisfying((options) -> assertThat(
				options.getSocketOptions().getConnectTimeout())
			.isEqualTo(commandTimeout));
	}

	@Test // #11
	void probesKeepTheInstanceInRotationAndWebsocketSaysWhatIsDegraded() {
		await().atMost(WAIT.multipliedBy(3)).untilAsserted(() -> {
			HttpResponse<String> readiness = this.clients.get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
			JsonNode body = JSON.readTree(readiness.body());
			assertThat(body.path("status").asString()).as(readiness.body()).isEqualTo("DEGRADED");
			JsonNode websocket = body.path("components").path("websocket");
			assertThat(websocket.path("status").asString()).isEqualTo("DEGRADED");
			assertThat(websocket.path("details").path("backendConnected").asBoolean(true)).isFalse();
			assertThat(websocket.path("details").path("degraded").asString()).startsWith("backend unreachable since ");
			assertThat(body.path("components").has("redis")).isFalse();
		});
		assertThat(this.clients.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		// The whole health, for monitoring, says Redis is down.
		assertThat(this.clients.get("/actuator/health").statusCode()).isEqualTo(503);
	}

	@Test // #11
	void aNewEchoHandshakeSucceedsWhile220HealthRequestsWait() {
		HealthRequests.assertServingDuring(220, this.clients, this.sample);
	}

	@Test // #11
	void statsAnswerFromWhatIsKnownWithoutOnlineUsers() {
		assertTimeoutPreemptively(WAIT, () -> {
			for (int i = 0; i < 10; i++) {
				HttpResponse<String> stats = this.clients.get("/ws/stats");
				assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
				assertThat(JSON.readTree(stats.body()).path("onlineUsers").isNull()).as(stats.body()).isTrue();
			}
		});
	}

}
