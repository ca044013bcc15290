package dev.wsinfra.redis;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.wsinfra.redis.PresenceEvent.Type;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence, rooms and the per-user limit are global: two instances, users with tabs on
 * both, and a third instance that dies without cleanup. Run on a standalone Redis
 * ({@link StandalonePresenceIntegrationTests}) and on a Redis Cluster
 * ({@link ShardedPresenceIntegrationTests}).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class PresenceIntegrationTests {

	static final Duration TTL = Duration.ofSeconds(3);

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final Queue<PresenceEvent> events = new ConcurrentLinkedQueue<>();

	// Started by each topology's class before its tests.
	private static Cluster cluster;

	static void startCluster(Cluster started) {
		events.clear();
		cluster = started;
		cluster.manager(0).onPresenceChange(events::add);
		cluster.manager(1).onPresenceChange(events::add);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	private static List<PresenceEvent> eventsOf(String user) {
		return events.stream().filter((event) -> event.userId().equals(user)).toList();
	}

	@Test
	void aUserWithTabsOnTwoInstancesStaysOnlineAndInRoomsUntilTheLastOneCloses() throws Exception {
		WsTestClient laptop = cluster.connected(0, "user=multi&tab=laptop", "multi");
		WsTestClient phone = cluster.connected(1, "user=multi&tab=phone", "multi");
		assertThat(cluster.manager(1).joinRoom("multi", "lobby")).isTrue();
		assertThat(cluster.manager(0).joinRoom("multi", "lobby")).isFalse();

		UserPresence presence = cluster.manager(0).getUserPresence("multi").orElseThrow();
		assertThat(presence.online()).isTrue();
		assertThat(presence.connections()).extracting(PresenceConnection::instanceId).containsExactly("i0", "i1");
		assertThat(presence.connections()).extracting((connection) -> connection.metadata().get("tab"))
			.containsExactly("laptop", "phone");
		assertThat(presence.connections().get(0).connectionId())
			.isEqualTo(cluster.manager(0).getUserConnections("multi").get(0).connectionId());
		assertThat(cluster.manager(1).getOnlineUsers()).contains("multi");
		assertThat(cluster.manager(0).isUserOnline("multi")).isTrue();
		assertThat(cluster.manager(0).getRoomUsersGlobal("lobby")).containsExactly("multi");
		assertThat(cluster.manager(0).getUserRooms("multi")).containsExactly("lobby");
		assertThat(cluster.manager(0).getUserConnections("multi").get(0).rooms()).containsExactly("lobby");

		laptop.closeAndWait();
		await().atMost(WAIT)
			.until(() -> cluster.manager(0).getUserPresence("multi").orElseThrow().connections().size() == 1);
		assertThat(cluster.manager(0).isUserOnline("multi")).isTrue();
		assertThat(cluster.manager(0).getRoomUsersGlobal("lobby")).containsExactly("multi");
		assertThat(cluster.manager(0).isUserConnected("multi")).isFalse();
		cluster.manager(0).broadcastToRoom("lobby", "still here");
		phone.assertNextTexts("still here");

		phone.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserOnline("multi"));
		assertThat(cluster.manager(0).getOnlineUsers()).doesNotContain("multi");
		assertThat(cluster.manager(0).getRoomUsersGlobal("lobby")).isEmpty();
		assertThat(cluster.manager(0).getUserRooms("multi")).isEmpty();
		assertThat(cluster.manager(0).getUserPresence("multi")).isEmpty();
	}

	@Test
	void presenceEventsReportTheFirstConnectionAndTheLastDisconnectionOnceInTheCluster() throws Exception {
		WsTestClient first = cluster.connected(0, "user=tabs&tab=1", "tabs");
		await().atMost(WAIT).until(() -> eventsOf("tabs").size() == 1);
		WsTestClient second = cluster.connected(1, "user=tabs&tab=2", "tabs");
		first.closeAndWait();
		await().atMost(WAIT)
			.until(() -> cluster.manager(1).getUserPresence("tabs").orElseThrow().connections().size() == 1);
		second.closeAndWait();
		await().atMost(WAIT).until(() -> eventsOf("tabs").size() == 2);

		assertThat(eventsOf("tabs")).extracting(PresenceEvent::type).containsExactly(Type.JOINED, Type.LEFT);
		assertThat(eventsOf("tabs")).extracting(PresenceEvent::instanceId).containsExactly("i0", "i1");
	}

	@Test
	void thePerUserLimitHoldsAcrossInstances() throws Exception {
		cluster.connected(0, "user=limited&tab=1", "limited");
		WsTestClient second = cluster.connected(1, "user=limited&tab=2", "limited");

		WsTestClient refusedHere = cluster.open(0, "user=limited&tab=3");
		WsTestClient refusedThere = cluster.open(1, "user=limited&tab=4");

		assertThat(refusedHere.awaitClose().code()).isEqualTo(4008);
		assertThat(refusedThere.awaitClose().code()).isEqualTo(4008);
		assertThat(cluster.manager(0).getUserPresence("limited").orElseThrow().connections()).hasSize(2);
		second.closeAndWait();
		await().atMost(WAIT)
			.until(() -> cluster.manager(0).getUserPresence("limited").orElseThrow().connections().size() == 1);
		cluster.connected(0, "user=limited&tab=5", "limited");
		assertThat(cluster.manager(1).getUserPresence("limited").orElseThrow().connections()).hasSize(2);
	}

	@Test
	void anInstanceStoppedWithClientsStillConnectedRemovesThemAtOnceAndClosesCleanly(CapturedOutput output)
			throws Exception {
		int leaving = cluster.startInstance("leaving", "ws.redis.presence-ttl=" + TTL.toMillis() + "ms");
		WsTestClient client = cluster.connected(leaving, "user=stopped&tab=1", "stopped");
		cluster.manager(leaving).joinRoom("stopped", "stop-room");
		assertThat(cluster.manager(0).isUserOnline("stopped")).isTrue();

		cluster.context(leaving).close();

		// Without the starter's graceful shutdown (1001), Tomcat drops the connection.
		assertThat(client.awaitClose().code()).isIn(1001, 1006);
		assertThat(cluster.manager(0).isUserOnline("stopped")).isFalse();
		assertThat(cluster.manager(0).getRoomUsersGlobal("stop-room")).isEmpty();
		assertThat(cluster.redis().smembers(cluster.keys().instances())).doesNotContain("leaving");
		assertThat(output).doesNotContain("RejectedExecutionException").doesNotContain("Unhandled exception");
	}

	@Test
	void anInstanceKilledWithoutCleanupDropsOutOfPresenceAndRoomsWithinTheTtl() throws Exception {
		int victim = cluster.startKillableInstance("victim", "ws.redis.presence-ttl=" + TTL.toMillis() + "ms",
				"test.max-connections-per-user=2");
		cluster.connected(victim, "user=doomed&tab=1", "doomed");
		cluster.connected(victim, "user=survivor&tab=1", "survivor");
		WsTestClient survivorElsewhere = cluster.connected(0, "user=survivor&tab=2", "survivor");
		cluster.manager(victim).joinRoom("doomed", "crash-room");
		cluster.manager(victim).joinRoom("survivor", "crash-room");
		assertThat(cluster.redis().smembers(cluster.keys().instances())).contains("victim");
		assertThat(cluster.manager(0).getUserPresence("doomed").orElseThrow().connections())
			.extracting(PresenceConnection::instanceId)
			.containsExactly("victim");
		assertThat(cluster.open(1, "user=survivor&tab=3").awaitClose().code()).isEqualTo(4008);

		cluster.kill(victim);
		assertThat(cluster.manager(0).isUserOnline("doomed")).isTrue();

		// Within the TTL by design; the margin, three TTLs more, is for a loaded machine.
		await().atMost(TTL.multipliedBy(4)).until(() -> !cluster.manager(0).isUserOnline("doomed"));
		assertThat(cluster.manager(1).getRoomUsersGlobal("crash-room")).containsExactly("survivor");
		assertThat(cluster.manager(1).getUserPresence("survivor").orElseThrow().connections())
			.extracting(PresenceConnection::instanceId)
			.containsExactly("i0");
		// The reaper removes the instance once it removed all its connections.
		await().atMost(WAIT).until(() -> !cluster.redis().smembers(cluster.keys().instances()).contains("victim"));
		assertThat(cluster.redis().exists(cluster.keys().instanceConnections("victim"))).isZero();
		// The victim's connection no longer counts against the per-user limit.
		cluster.connected(1, "user=survivor&tab=3", "survivor");
		await().atMost(WAIT).until(() -> eventsOf("doomed").size() == 1);
		assertThat(eventsOf("doomed").get(0).type()).isEqualTo(Type.LEFT);
		assertThat(eventsOf("doomed").get(0).instanceId()).isIn("i0", "i1");
		// The survivor's join was reported by the victim, where it connected first;
		// no leave.
		assertThat(eventsOf("survivor")).isEmpty();
		cluster.manager(1).broadcastToRoom("crash-room", "after the crash");
		survivorElsewhere.assertNextTexts("after the crash");
	}

}
