package dev.wsinfra.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.test.WsTestClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on a Redis Cluster of three masters and three replicas: a {@code kill -9}
 * of the master that owns a busy room's slot while messages flow. The replica takes over
 * (node timeout 2 s), the instances follow it, and delivery, presence and the per-user
 * limit work again.
 */
class ClusterFailoverIntegrationTests {

	private static final Log logger = LogFactory.getLog(ClusterFailoverIntegrationTests.class);

	// Measured 5.2 s (replica promoted after about 4 s); generous for a loaded machine.
	private static final Duration RESUME = Duration.ofSeconds(15);

	private static final Duration WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2, "test.max-connections-per-user=1");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test // #13
	void deliveryPresenceAndTheUserLimitWorkAgainAfterTheMasterOfABusyRoomIsKilled() throws Exception {
		WsTestClient alice = cluster.connected(0, "alice");
		WsTestClient bob = cluster.connected(1, "bob");
		cluster.manager(0).joinRoom("alice", "busy");
		cluster.manager(1).joinRoom("bob", "busy");
		cluster.manager(1).broadcastToRoom("busy", "before");
		alice.assertNextTexts("before");
		bob.assertNextTexts("before");
		RedisCluster.Node master = redis.masterOf(redis.slot(cluster.keys().roomChannel("busy")));

		long killed = System.nanoTime();
		redis.kill(master.port());
		AtomicInteger sent = new AtomicInteger();
		String first = await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
			cluster.manager(1).broadcastToRoom("busy", "m" + sent.incrementAndGet());
			return drain(alice);
		}, Optional::isPresent).orElseThrow();
		Duration resumed = Duration.ofNanos(System.nanoTime() - killed);
		logger.info("Delivery resumed " + resumed.toMillis() + " ms after the kill, with " + first);
		assertThat(resumed).isLessThan(RESUME);
		assertThat(redis.masterOf(redis.slot(cluster.keys().roomChannel("busy"))).port()).isNotEqualTo(master.port());

		await().atMost(WAIT).until(() -> cluster.manager(0).isBackendAvailable());
		await().atMost(WAIT).until(() -> cluster.manager(1).isBackendAvailable());
		Duration healthy = Duration.ofNanos(System.nanoTime() - killed);
		logger.info("Both instances available " + healthy.toMillis() + " ms after the kill");
		await().atMost(WAIT).until(() -> cluster.manager(1).getRoomUsersGlobal("busy").size() == 2);
		assertThat(cluster.manager(0).getOnlineUsers()).contains("alice", "bob");
		WsTestClient secondAlice = cluster.open(1, "user=alice");
		assertThat(secondAlice.awaitClose().code()).isEqualTo(4008);
		cluster.manager(0).broadcastToRoom("busy", "after");
		bob.awaitText("after"::equals);
		alice.awaitText("after"::equals);
		redis.restart(master.port());
		redis.awaitHealthy();
	}

	// The first message that arrived, skipping none: polled without waiting.
	private static Optional<String> drain(WsTestClient client) {
		Optional<String> first = client.nextTextNow();
		while (client.nextTextNow().isPresent()) {
			// Later ones are the same traffic.
		}
		return first;
	}

}
