package dev.wsinfra.samples.outage;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.samples.testsupport.HealthRequests;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.wsinfra.samples.testsupport.SampleAppTests.assertError;
import static dev.wsinfra.samples.testsupport.SampleClients.WAIT;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The sample on Redis, with Redis stopped after it started: it keeps serving, its probes
 * keep it in a load balancer's rotation, its health says what is degraded, and its
 * examples answer errors instead of failing.
 */
class RedisDownIntegrationTests extends RedisOutageTests {

	@Override
	void breakRedis() {
		this.redis.stop();
	}

	@Test // #11
	void springDataRedisWaitsAsLongAsTheManager() {
		Duration commandTimeout = this.sample.context()
			.getBean(RedisConnectionManager.class)
			.options()
			.commandTimeout();
		LettuceClientConfiguration client = this.sample.context()
			.getBean(LettuceConnectionFactory.class)
			.getClientConfiguration();
		assertThat(client.getCommandTimeout()).isEqualTo(commandTimeout);
		assertThat(client.getClientOptions()).hasValueSatisfying(
				(options) -> assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(commandTimeout));
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

	@Test // #11
	void aNotificationIsAnswered503WithAJsonBody() {
		String token = this.clients.token("notifier", "notify");
		HttpResponse<String> response = this.clients.post("/api/notify/someone", Map.of("text", "hi"), token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("error").asString()).as(response.body()).isEqualTo("unavailable");
		assertThat(body.path("message").asString()).isNotBlank();
	}

	@Test // #11
	void aGameAnswersAnErrorAndStaysOpen() {
		WsTestClient player = this.clients.connect("/ws/game", "player");
		player.sendJson(Map.of("type", "create"));
		assertError(next(player), "unavailable");
		player.sendJson(Map.of("type", "ping"));
		assertThat(next(player).path("type").asString()).isEqualTo("pong");
	}

	@Test // #11
	void stocksAnswerAnErrorForThePriceAndStayOpen() {
		WsTestClient trader = this.clients.connect("/ws/stocks", "trader");
		trader.sendJson(Map.of("action", "subscribe", "symbols", List.of("AAPL")));
		assertThat(next(trader).path("type").asString()).isEqualTo("subscribed");
		assertError(next(trader), "unavailable");
		trader.sendJson(Map.of("type", "ping"));
		assertThat(next(trader, "pong").path("type").asString()).isEqualTo("pong");
	}

	@Test // #11
	void documentEditorsGetErrorsAndStillSeeEachOtherComeAndGo() {
		WsTestClient ed = this.clients.connect("/ws/docs/outage", "ed");
		assertError(next(ed), "unavailable");
		WsTestClient flo = this.clients.connect("/ws/docs/outage", "flo");
		assertError(next(flo), "unavailable");
		assertThat(next(ed, "user_joined").path("user_id").asString()).isEqualTo("flo");
		ed.sendJson(Map.of("type", "insert", "position", 0, "content", "x", "version", 0));
		assertError(next(ed), "unavailable");
		flo.close();
		assertThat(next(ed, "user_left").path("user_id").asString()).isEqualTo("flo");
	}

}
