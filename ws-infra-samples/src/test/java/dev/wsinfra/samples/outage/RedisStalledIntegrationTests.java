package dev.wsinfra.samples.outage;

import java.net.http.HttpResponse;

import dev.wsinfra.samples.testsupport.HealthRequests;
import org.junit.jupiter.api.Test;

import static dev.wsinfra.samples.testsupport.SampleClients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample on Redis, with Redis stalled after it started ({@code SIGSTOP}: connections
 * stay open, nothing is answered): health requests do not hold the server, and the
 * readiness probe soon says what is degraded and keeps the instance in rotation.
 */
class RedisStalledIntegrationTests extends RedisOutageTests {

	@Override
	void breakRedis() throws Exception {
		this.redis.pause();
	}

	@Test // #11
	void aNewEchoHandshakeSucceedsWhile220HealthRequestsWait() {
		HealthRequests.assertServingDuring(220, this.clients, this.sample);
	}

	@Test // #11
	void theReadinessProbeSaysWhatIsDegradedAndKeepsTheInstanceInRotation() {
		await().atMost(WAIT.multipliedBy(3)).untilAsserted(() -> {
			HttpResponse<String> readiness = this.clients.get("/actuator/health/readiness");
			assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
			assertThat(JSON.readTree(readiness.body()).path("components").path("websocket").path("status").asString())
				.as(readiness.body())
				.isEqualTo("DEGRADED");
		});
	}

}
