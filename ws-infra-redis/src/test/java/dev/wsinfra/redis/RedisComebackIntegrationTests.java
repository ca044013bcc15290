package dev.wsinfra.redis;

import java.time.Duration;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance that found Redis unavailable while its connections stayed up (a stall, a
 * shard failing over) tries again within about a second, not at its next heartbeat: the
 * heartbeat here is 20 s away.
 */
class RedisComebackIntegrationTests {

	private static final Duration HEARTBEAT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private Cluster cluster;

	@BeforeEach
	void startInstances() {
		this.cluster = Cluster.start(redis, 2, "ws.redis.command-timeout=1s",
				"ws.redis.presence-ttl=" + HEARTBEAT.multipliedBy(3).toSeconds() + "s");
	}

	@AfterEach
	void stopInstances() throws Exception {
		redis.resume();
		this.cluster.close();
	}

	@Test // #13
	void anInstanceIsAvailableAgainSoonAfterAStalledRedisAnswersAgain() throws Exception {
		WsTestClient here = this.cluster.connected(0, "comeback-here");
		this.cluster.connected(1, "comeback-there");
		RedisConnectionManager manager = this.cluster.manager(1);
		redis.pause();
		// A send that times out marks Redis unavailable, as a failed-over shard does.
		manager.sendToUser("comeback-here", "lost in the stall");
		await().atMost(Duration.ofSeconds(10)).until(() -> !manager.isBackendAvailable());

		long resumed = System.nanoTime();
		redis.resume();
		await().atMost(HEARTBEAT.dividedBy(4)).until(manager::isBackendAvailable);
		Duration back = Duration.ofNanos(System.nanoTime() - resumed);

		assertThat(back).isLessThan(HEARTBEAT.dividedBy(4));
		manager.sendToUser("comeback-here", "after the stall");
		here.awaitText("after the stall"::equals);
	}

}
