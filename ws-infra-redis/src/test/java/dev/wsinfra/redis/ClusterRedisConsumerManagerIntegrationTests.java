package dev.wsinfra.redis;

import java.util.List;

import dev.wsinfra.redis.testsupport.RedisCluster;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
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

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	@Override
	AbstractRedisClient newClient() {
		List<RedisURI> seeds = redis.ports().stream().map((port) -> RedisURI.create("127.0.0.1", port)).toList();
		return RedisClusterClient.create(seeds);
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

}
