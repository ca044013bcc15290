package dev.wsinfra.samples.cluster;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.endpoint.WsReply;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sample in this JVM, on random ports, with the Redis module on and
 * a real {@code redis-server}: one user on each, and they behave as one server.
 */
class TwoInstancesIntegrationTests extends AbstractTwoInstancesIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final String secret = "a-shared-secret-for-both-instances-" + UUID.randomUUID();

	@Override
	ConfigurableApplicationContext start(int index) {
		// as command-line arguments, which win over the
		// sample's application.properties
		return new SpringApplicationBuilder(SamplesApplication.class, AskHandler.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--ws.redis.enabled=true",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
				"--ws.redis.key-prefix=" + this.prefix + "ws:",
				"--samples.redis.key-prefix=" + this.prefix + "samples:", "--ws.redis.instance-id=i" + index,
				"--ws.auth.jwt.secret=" + this.secret, "--samples.dashboard.interval=200ms",
				"--samples.stocks.interval=200ms");
	}

	@Test
	void onlyOneInstanceSendsTheDashboardUpdates() {
		WsTestClient onFirst = this.first.connect("/ws/dashboard/live", "hal");
		WsTestClient onSecond = this.second.connect("/ws/dashboard/live", "ida");
		// each connection's own first update, from its instance, is one of its first
		// two messages
		for (int i = 0; i < 2; i++) {
			next(onFirst);
			next(onSecond);
		}
		Set<String> senders = new HashSet<>();
		for (int i = 0; i < 5; i++) {
			senders.add(next(onFirst).path("data").path("instanceId").asString());
			senders.add(next(onSecond).path("data").path("instanceId").asString());
		}
		assertThat(senders).hasSize(1);
	}

	@Test // #16
	void aRequestToOneInstanceIsAnsweredByTheOtherThroughRedis() throws Exception {
		WsTestClient asker = this.first.connect("/test/ask", "asker");
		asker.sendJson(Map.of("type", "ws.request", "id", "c1.7", "method", "where", "data", Map.of()));
		assertThat(AskHandler.asked.poll(10, TimeUnit.SECONDS)).isEqualTo("asker c1.7");
		// the worker on the other instance, which holds no connection of the user
		ConnectionManager other = instance(1).getBean(ConnectionManager.class);
		assertThat(other.getUserConnections("asker")).isEmpty();
		other.sendToUser("asker", WsReply.success("c1.7", Map.of("answeredBy", "i1")));
		assertThat(asker.nextText())
			.isEqualTo("{\"type\":\"ws.reply\",\"id\":\"c1.7\",\"data\":{\"answeredBy\":\"i1\"}}");
	}

}
