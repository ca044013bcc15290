package dev.wsinfra.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.wsinfra.redis.testsupport.RedisCluster;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisConsumerManagerIntegrationTests} on a Redis Cluster of three masters and
 * three replicas, started once for the class: each test's stream lands on the master
 * serving its slot.
 */
class ClusterRedisConsumerManagerIntegrationTests extends RedisConsumerManagerIntegrationTests {

	private static final Log logger = LogFactory.getLog(ClusterRedisConsumerManagerIntegrationTests.class);

	private static final Duration FAILOVER_WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	@Override
	AbstractRedisClient newClient() {
		List<RedisURI> seeds = redis.ports().stream().map((port) -> RedisURI.create("127.0.0.1", port)).toList();
		RedisClusterClient client = RedisClusterClient.create(seeds);
		// The refresh the module sets on Spring Boot's client, to follow failovers.
		client.setOptions(ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.enablePeriodicRefresh(Duration.ofSeconds(10))
				.build())
			.build());
		return client;
	}

	@Override
	void configSet(String parameter, String value) throws Exception {
		for (int port : redis.ports()) {
			redis.command(port, "CONFIG", "SET", parameter, value);
		}
	}

	@Test // #13
	void theTaskStreamAndItsDeadLettersLiveTogetherOnTheMasterServingTheirSlot() throws Exception {
		RedisConsumerManager manager = manager("placed", 1);
		process(manager, (task) -> {
			throw new IllegalArgumentException("poison");
		});

		manager.addTask("dies at once");

		await().atMost(WAIT).until(() -> manager.deadLetteredCount() == 1);
		int slot = redis.slot(this.stream);
		assertThat(redis.slot(manager.deadLetterStream())).isEqualTo(slot);
		RedisCluster.Node master = redis.masterOf(slot);
		assertThat(redis.command(master.port(), "EXISTS", this.stream, manager.deadLetterStream()).trim())
			.isEqualTo("2");
		assertThat(redis.command(master.port(), "CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100").lines())
			.contains(this.stream, manager.deadLetterStream());
	}

	@Test // #13
	void consumersCarryOnWithThePromotedReplicaWhenTheMasterOfTheStreamIsKilled() throws Exception {
		RedisConsumerManager manager = manager("survivor", 5);
		Set<String> done = ConcurrentHashMap.newKeySet();
		process(manager, (task) -> done.add(task.payload().asString()));
		manager.addTask("before");
		await().atMost(WAIT).until(() -> done.contains("before"));
		RedisCluster.Node master = redis.masterOf(redis.slot(this.stream));

		long killed = System.nanoTime();
		redis.kill(master.port());
		try {
			await().atMost(FAILOVER_WAIT).ignoreExceptions().until(() -> manager.addTask("after") != null);
			await().atMost(FAILOVER_WAIT).until(() -> done.contains("after"));
			logger.info("A task added after the kill was done "
					+ Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms after it");
			assertThat(redis.masterOf(redis.slot(this.stream)).port()).isNotEqualTo(master.port());
			await().atMost(WAIT).until(() -> manager.pendingCount() == 0);
		}
		finally {
			redis.restart(master.port());
			redis.awaitHealthy();
		}
	}

}
