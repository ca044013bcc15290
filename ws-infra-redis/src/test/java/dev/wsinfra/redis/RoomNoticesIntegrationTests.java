package dev.wsinfra.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.server.SendType;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's room notices across instances: {@code user_joined} when a user joins a room,
 * {@code user_left} when they leave it or their last connection anywhere goes, including
 * when the instance holding it dies; each once in the cluster.
 */
class RoomNoticesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	// Shorter than the command timeout, which bounds a join's wait for Redis.
	private static final Duration HOLD = Duration.ofSeconds(1);

	private static final String[] PROPERTIES = { "ws.room-notices=true", "ws.redis.presence-ttl=3000ms" };

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2, PROPERTIES);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	private static String joined(String user, String room) {
		return "{\"type\":\"user_joined\",\"user_id\":\"" + user + "\",\"room\":\"" + room + "\"}";
	}

	private static String left(String user, String room) {
		return "{\"type\":\"user_left\",\"user_id\":\"" + user + "\",\"room\":\"" + room + "\"}";
	}

	@Test // #14
	void joinsAndLeavesAreAnnouncedOnceToTheRoomOnEveryInstance() throws Exception {
		WsTestClient ann = cluster.connected(0, "ann");
		WsTestClient bob = cluster.connected(1, "bob");

		assertThat(cluster.manager(0).joinRoom("ann", "n-lobby")).isTrue();
		ann.assertNextTexts(joined("ann", "n-lobby"));
		assertThat(cluster.manager(1).joinRoom("bob", "n-lobby")).isTrue();
		assertThat(cluster.manager(0).joinRoom("bob", "n-lobby")).isFalse();
		// From the instance that announced bob: after the notice on every path.
		cluster.manager(1).broadcastToRoom("n-lobby", "marker");
		ann.assertNextTexts(joined("bob", "n-lobby"), "marker");
		bob.assertNextTexts(joined("bob", "n-lobby"), "marker");

		// Left through the instance that does not hold bob; its room message after the
		// leave reaches bob's instance after the leave does.
		assertThat(cluster.manager(0).leaveRoom("bob", "n-lobby")).isTrue();
		cluster.manager(0).broadcastToRoom("n-lobby", "after");
		cluster.manager(1).sendToUser("bob", "to bob");
		ann.assertNextTexts(left("bob", "n-lobby"), "after");
		bob.assertNextTexts("to bob");
	}

	@Test // #14
	void aJoinIsNotAnnouncedToThoseWhoJoinTheRoomAfterIt() throws Exception {
		WsTestClient gus = cluster.connected(0, "gus");
		WsTestClient hal = cluster.connected(1, "hal");
		// Instance 0's Redis traffic stalls from the moment it tells gus's join to its
		// own connections (send listeners run then, on the joining thread), as on a busy
		// machine: the notice it publishes for the other instances waits behind it.
		RedisTrafficHold hold = new RedisTrafficHold(cluster.context(0), HOLD);
		AtomicBoolean armed = new AtomicBoolean(true);
		cluster.manager(0).onSend((type, connections) -> {
			if (type == SendType.ROOM && armed.compareAndSet(true, false)) {
				hold.hold();
			}
		});

		assertThat(cluster.manager(0).joinRoom("gus", "n-late")).isTrue();
		gus.assertNextTexts(joined("gus", "n-late"));
		// Hal joins after gus's join returned: he is not told of it.
		assertThat(cluster.manager(1).joinRoom("hal", "n-late")).isTrue();
		hold.release();
		// From gus's instance: after its notice, if that is still on its way.
		cluster.manager(0).broadcastToRoom("n-late", "marker");
		hal.assertNextTexts(joined("hal", "n-late"), "marker");
	}

	@Test // #14
	void aUserWithTabsOnTwoInstancesLeavesTheirRoomsWithTheLastTab() throws Exception {
		WsTestClient dana = cluster.connected(0, "dana");
		WsTestClient laptop = cluster.connected(0, "carl");
		WsTestClient phone = cluster.connected(1, "carl");
		cluster.manager(0).joinRoom("dana", "n-tabs");
		cluster.manager(1).joinRoom("carl", "n-tabs");
		dana.assertNextTexts(joined("dana", "n-tabs"), joined("carl", "n-tabs"));

		laptop.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("carl"));
		cluster.manager(1).broadcastToRoom("n-tabs", "carl is still here");
		phone.closeAndWait();

		dana.assertNextTexts("carl is still here", left("carl", "n-tabs"));
		cluster.manager(0).broadcastToRoom("n-tabs", "marker");
		dana.assertNextTexts("marker");
	}

	@Test // #14
	void theUsersOfAKilledInstanceLeaveTheirRoomsOnceWhenItIsReaped() throws Exception {
		int doomed = cluster.startKillableInstance("i2", PROPERTIES);
		WsTestClient fay = cluster.connected(0, "fay");
		cluster.connected(doomed, "erin");
		cluster.manager(0).joinRoom("fay", "n-reap");
		cluster.manager(doomed).joinRoom("erin", "n-reap");
		fay.assertNextTexts(joined("fay", "n-reap"), joined("erin", "n-reap"));

		cluster.kill(doomed);

		// Both survivors try to reap it; the one whose step removed it tells the room.
		fay.assertNextTexts(left("erin", "n-reap"));
		await().atMost(WAIT).until(() -> !cluster.redis().smembers(cluster.keys().instances()).contains("i2"));
		cluster.manager(1).broadcastToRoom("n-reap", "marker");
		fay.assertNextTexts("marker");
	}

}
