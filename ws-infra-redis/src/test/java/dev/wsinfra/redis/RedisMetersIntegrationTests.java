package dev.wsinfra.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.wsinfra.redis.autoconfigure.RedisConnectionManagerMeterBinder;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis manager's meters, read from a registry while the cluster does what they
 * count: each moves by what happened, under the instance's tag.
 */
class RedisMetersIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int MAX_LENGTH = 20;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static Cluster cluster;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2, "ws.redis.stream.max-length=" + MAX_LENGTH);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test // #14
	void publishedAndReceivedCountWhatCrossesInstances() throws Exception {
		new RedisConnectionManagerMeterBinder(cluster.manager(0)).bindTo(this.registry);
		new RedisConnectionManagerMeterBinder(cluster.manager(1)).bindTo(this.registry);
		WsTestClient listener = cluster.connected(1, "metered-listener");
		double published = count("websocket.redis.messages.published", 0);
		double received = count("websocket.redis.messages.received", 1);
		cluster.manager(0).sendToUser("metered-listener", "across");
		assertThat(listener.nextText()).isEqualTo("across");
		assertThat(count("websocket.redis.messages.published", 0) - published).isOne();
		assertThat(count("websocket.redis.messages.received", 1) - received).isOne();
	}

	@Test // #14
	void recoveriesCountWhetherTheyRecoveredAndWhatTheyReplayed() throws Exception {
		new RedisConnectionManagerMeterBinder(cluster.manager(1)).bindTo(this.registry);
		String instance = cluster.manager(1).instanceId();
		WsTestClient client = cluster.connected(0, "metered-u");
		String first = cluster.manager(0).sendToUserPersistent("metered-u", Map.of("n", 0)).token();
		assertThat(client.nextJson().path("data").path("n").asInt()).isZero();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("metered-u"));
		for (int n = 1; n <= 3; n++) {
			cluster.manager(0).sendToUserPersistent("metered-u", Map.of("n", n));
		}
		double recovered = recoveries(instance, "true");
		double failed = recoveries(instance, "false");
		double replayed = this.registry.get("websocket.redis.recovery.replayed")
			.tag("instance.id", instance)
			.functionCounter()
			.count();

		WsTestClient back = cluster.open(1, "user=metered-u&position=" + encode(first));
		for (int n = 1; n <= 3; n++) {
			assertThat(back.nextJson().path("data").path("n").asInt()).isEqualTo(n);
		}
		JsonNode recovery = back.nextJson();
		assertThat(recovery.path("recovered").asBoolean()).isTrue();
		assertThat(recoveries(instance, "true") - recovered).isOne();
		assertThat(recoveries(instance, "false") - failed).isZero();
		assertThat(this.registry.get("websocket.redis.recovery.replayed")
			.tag("instance.id", instance)
			.functionCounter()
			.count() - replayed).isEqualTo(3);

		// A position the capped stream no longer holds is a failed recovery.
		back.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(1).isUserConnected("metered-u"));
		for (int n = 4; n <= MAX_LENGTH + 10; n++) {
			cluster.manager(0).sendToUserPersistent("metered-u", Map.of("n", n));
		}
		WsTestClient late = cluster.open(1, "user=metered-u&position=" + encode(first));
		assertThat(late.nextJson().path("recovered").asBoolean()).isFalse();
		assertThat(recoveries(instance, "false") - failed).isOne();
		assertThat(recoveries(instance, "true") - recovered).isOne();
	}

	private double count(String name, int instance) {
		return this.registry.get(name)
			.tag("instance.id", cluster.manager(instance).instanceId())
			.functionCounter()
			.count();
	}

	private double recoveries(String instance, String recovered) {
		return this.registry.get("websocket.redis.recoveries")
			.tags("instance.id", instance, "recovered", recovered)
			.functionCounter()
			.count();
	}

	private static String encode(String position) {
		return URLEncoder.encode(position, StandardCharsets.UTF_8);
	}

}
