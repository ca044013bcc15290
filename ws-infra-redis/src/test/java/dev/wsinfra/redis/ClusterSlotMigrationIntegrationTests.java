package dev.wsinfra.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on a Redis Cluster: the slot of a busy room migrates to another master
 * while one instance appends persistent messages to the room. Every append that returned
 * a position is in the stream afterwards, and the room's live messages reach the other
 * instance from the new owner.
 */
class ClusterSlotMigrationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int MOST_APPENDS = 5_000;

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test // #13
	void persistentEntriesAppendedWhileABusyRoomsSlotMigratesAreKept() throws Exception {
		WsTestClient alice = cluster.connected(0, "alice");
		cluster.manager(0).joinRoom("alice", "busy");
		cluster.manager(1).broadcastToRoom("busy", "before");
		alice.assertNextTexts("before");
		int slot = redis.slot(cluster.keys().roomChannel("busy"));
		RedisCluster.Node source = redis.masterOf(slot);
		RedisCluster.Node target = redis.masters()
			.stream()
			.filter((master) -> !master.equals(source))
			.findFirst()
			.orElseThrow();

		List<String> appended = new CopyOnWriteArrayList<>();
		AtomicBoolean moving = new AtomicBoolean(true);
		Thread sender = new Thread(() -> {
			for (int n = 0; n < MOST_APPENDS && moving.get(); n++) {
				try {
					appended.add(cluster.manager(1).broadcastToRoomPersistent("busy", "p" + n).id());
				}
				catch (DataAccessException ex) {
					// Refused, or stored without the caller knowing: not counted.
				}
			}
		});
		sender.start();
		await().atMost(WAIT).until(() -> appended.size() >= 10);
		redis.moveSlot(slot, target.id());
		moving.set(false);
		sender.join(WAIT.toMillis());

		assertThat(redis.masterOf(slot).id()).isEqualTo(target.id());
		await().atMost(WAIT).until(() -> cluster.manager(1).isBackendAvailable());
		Set<String> stored = cluster.manager(1)
			.getMessageHistory("room:busy", MOST_APPENDS + 10, "0")
			.stream()
			.map(StreamMessage::id)
			.collect(Collectors.toSet());
		assertThat(appended).isNotEmpty();
		assertThat(stored).containsAll(appended);
		await().atMost(WAIT).until(() -> cluster.manager(0).isBackendAvailable());
		cluster.manager(1).broadcastToRoom("busy", "after the move");
		alice.awaitText("after the move"::equals);
	}

}
