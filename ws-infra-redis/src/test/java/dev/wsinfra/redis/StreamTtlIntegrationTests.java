package dev.wsinfra.redis;

import java.time.Duration;
import java.util.Map;

import dev.wsinfra.redis.testsupport.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ws.redis.stream.ttl}: a persistent stream lives that long after its last append,
 * then Redis removes it.
 */
class StreamTtlIntegrationTests {

	private static final Duration TTL = Duration.ofSeconds(6);

	private static final Duration WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 1, "ws.redis.stream.ttl=" + TTL.toSeconds() + "s");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test // #14
	void eachAppendRenewsTheTtlAndAnIdleStreamExpires() {
		String stream = cluster.keys().userStream("ttl-user");
		cluster.manager(0).sendToUserPersistent("ttl-user", Map.of("n", 1));
		assertThat(cluster.redis().pttl(stream)).isBetween(1L, TTL.toMillis());

		long half = TTL.toMillis() / 2;
		await().atMost(WAIT).until(() -> cluster.redis().pttl(stream) < half);
		cluster.manager(0).sendToUserPersistent("ttl-user", Map.of("n", 2));
		assertThat(cluster.redis().pttl(stream)).isGreaterThan(half);
		assertThat(cluster.manager(0).getMessageHistory("user:ttl-user", 10, "0")).hasSize(2);

		await().atMost(WAIT).until(() -> cluster.redis().exists(stream) == 0);
		assertThat(cluster.manager(0).getMessageHistory("user:ttl-user", 10, "0")).isEmpty();
	}

}
