package dev.wsinfra.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances on a Redis Cluster of three masters with the default, untagged key
 * prefix: users, rooms, streams and instances hash to slots of their own, so that both
 * the keys and the commands of connects, joins, sends, persistent messages and
 * disconnects spread over the masters; no master serves more than 45% of the commands.
 */
class ClusterSpreadIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int USERS = 30;

	private static final int ROOMS = 15;

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private static Cluster cluster;

	@BeforeAll
	static void startInstances() {
		cluster = Cluster.start(redis, 3);
	}

	@AfterAll
	static void stopInstances() {
		cluster.close();
	}

	@Test // #13
	void keysAndCommandsSpreadOverTheMastersAndNoneServesMoreThan45Percent() throws Exception {
		redis.resetCommandStats();
		List<WsTestClient> clients = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			clients.add(cluster.connected(i % 3, "spread-" + i));
		}
		for (int i = 0; i < USERS; i++) {
			RedisConnectionManager manager = cluster.manager(i % 3);
			assertThat(manager.joinRoom("spread-" + i, "room-" + (i % ROOMS))).isTrue();
			assertThat(manager.joinRoom("spread-" + i, "room-" + ((i + 1) % ROOMS))).isTrue();
		}
		for (int round = 0; round < 5; round++) {
			for (int i = 0; i < ROOMS; i++) {
				cluster.manager(i % 3).broadcastToRoom("room-" + i, "plain " + round);
				cluster.manager((i + 1) % 3).broadcastToRoomPersistent("room-" + i, Map.of("round", round));
			}
			for (int i = 0; i < USERS; i++) {
				cluster.manager((i + round) % 3).sendToUser("spread-" + i, "direct " + round);
			}
			cluster.manager(round % 3).broadcastPersistent(Map.of("round", round), "feed-" + round);
		}
		for (int i = 0; i < USERS; i += 2) {
			clients.get(i).closeAndWait();
		}
		await().atMost(WAIT).until(() -> cluster.manager(0).getOnlineUsers().size() == USERS / 2);
		assertThat(cluster.manager(1).getRoomUsersGlobal("room-1")).containsExactlyInAnyOrder("spread-1", "spread-15");

		Map<RedisCluster.Node, Long> commands = redis.commandsPerMaster();
		long total = commands.values().stream().mapToLong(Long::longValue).sum();
		assertThat(commands).hasSize(3);
		assertThat(commands.values()).as("commands per master of %s", total)
			.allSatisfy((calls) -> assertThat(calls).isLessThanOrEqualTo(total * 45 / 100));
		Map<RedisCluster.Node, Long> keys = keysPerMaster();
		long allKeys = keys.values().stream().mapToLong(Long::longValue).sum();
		assertThat(keys.values()).as("keys per master of %s", allKeys)
			.allSatisfy((count) -> assertThat(count).isGreaterThanOrEqualTo(allKeys / 6));
	}

	private static Map<RedisCluster.Node, Long> keysPerMaster() throws Exception {
		Map<RedisCluster.Node, Long> keys = new LinkedHashMap<>();
		for (RedisCluster.Node master : redis.masters()) {
			keys.put(master, Long.parseLong(redis.command(master.port(), "DBSIZE").trim()));
		}
		return keys;
	}

}
