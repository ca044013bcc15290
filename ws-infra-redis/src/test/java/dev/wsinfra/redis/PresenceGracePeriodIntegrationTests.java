package dev.wsinfra.redis;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.wsinfra.redis.PresenceEvent.Type;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a grace period, a user whose last connection closed stays online and in their
 * rooms for a while: a quick reconnect, on any instance, is neither a leave nor a join.
 */
class PresenceGracePeriodIntegrationTests {

	// Long enough that the steps between a close and the reconnect fit in it on a
	// slow machine
	private static final Duration GRACE = Duration.ofSeconds(5);

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final Queue<PresenceEvent> events = new ConcurrentLinkedQueue<>();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2, "ws.redis.presence-grace-period=" + GRACE.toMillis() + "ms");
		cluster.manager(0).onPresenceChange(events::add);
		cluster.manager(1).onPresenceChange(events::add);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	private static List<Type> eventsOf(String user) {
		return events.stream().filter((event) -> event.userId().equals(user)).map(PresenceEvent::type).toList();
	}

	private static boolean hasNoConnection(String user) {
		return cluster.manager(0)
			.getUserPresence(user)
			.map((presence) -> presence.connections().isEmpty())
			.orElse(true);
	}

	@Test
	void aReconnectWithinTheGracePeriodIsNeitherALeaveNorAJoin() throws Exception {
		WsTestClient rolling = cluster.connected(0, "rolling");
		WsTestClient canary = cluster.connected(0, "canary");
		cluster.manager(0).joinRoom("rolling", "grace-room");
		await().atMost(WAIT).until(() -> eventsOf("rolling").size() == 1 && eventsOf("canary").size() == 1);

		rolling.closeAndWait();
		canary.closeAndWait();
		await().atMost(WAIT).until(() -> hasNoConnection("rolling") && hasNoConnection("canary"));
		assertThat(cluster.manager(1).isUserOnline("rolling")).isTrue();
		assertThat(cluster.manager(1).getRoomUsersGlobal("grace-room")).containsExactly("rolling");
		WsTestClient back = cluster.connected(1, "rolling");

		// The canary, which did not come back, leaves after the grace period; by then a
		// leave of the user that came back would have been reported too.
		await().atMost(WAIT).until(() -> eventsOf("canary").size() == 2);
		assertThat(eventsOf("canary")).containsExactly(Type.JOINED, Type.LEFT);
		assertThat(eventsOf("rolling")).containsExactly(Type.JOINED);
		assertThat(cluster.manager(0).isUserOnline("rolling")).isTrue();
		assertThat(cluster.manager(0).getUserRooms("rolling")).containsExactly("grace-room");
		cluster.manager(0).broadcastToRoom("grace-room", "welcome back");
		back.assertNextTexts("welcome back");
	}

	@Test
	void theLeaveComesOnceTheGracePeriodIsOver() throws Exception {
		WsTestClient client = cluster.connected(1, "leaving");
		cluster.manager(1).joinRoom("leaving", "grace-room-2");
		await().atMost(WAIT).until(() -> eventsOf("leaving").size() == 1);

		long closedAt = System.nanoTime();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> eventsOf("leaving").size() == 2);
		Duration offlineAfter = Duration.ofNanos(System.nanoTime() - closedAt);

		assertThat(offlineAfter).isGreaterThanOrEqualTo(GRACE);
		assertThat(eventsOf("leaving")).containsExactly(Type.JOINED, Type.LEFT);
		assertThat(cluster.manager(0).isUserOnline("leaving")).isFalse();
		assertThat(cluster.manager(0).getRoomUsersGlobal("grace-room-2")).isEmpty();
	}

}
