package dev.wsinfra.redis;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.server.RoomAccessDeniedException;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three instances sharing one Redis, real clients on each: every send reaches every
 * target connection once, wherever it is, and an instance only listens to the rooms it
 * needs. Run on a standalone Redis
 * ({@link StandaloneCrossInstanceDeliveryIntegrationTests}) and on a Redis Cluster
 * ({@link ShardedCrossInstanceDeliveryIntegrationTests}).
 */
abstract class CrossInstanceDeliveryIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	// Started by each topology's class before its tests.
	static Cluster cluster;

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	/**
	 * Asserts the next texts of a client that come over several channels. On one Redis
	 * they come in the order they were sent; on a Redis Cluster each channel travels
	 * through the node of its slot, so only each channel's own order is kept.
	 */
	private static void assertNextTextsOverChannels(WsTestClient client, String... texts) {
		if (!cluster.sharded()) {
			client.assertNextTexts(texts);
			return;
		}
		List<String> received = new ArrayList<>();
		for (int i = 0; i < texts.length; i++) {
			received.add(client.nextText());
		}
		assertThat(received).containsExactlyInAnyOrder(texts);
	}

	@Test
	void broadcastReachesEveryConnectionOnEveryInstanceOnce() throws Exception {
		WsTestClient a = cluster.connected(0, "bc-a");
		WsTestClient b = cluster.connected(1, "bc-b");
		WsTestClient c = cluster.connected(2, "bc-c");
		WsTestClient c2 = cluster.connected(2, "bc-c");

		cluster.manager(0).broadcast(Map.of("n", 1));
		cluster.manager(0).broadcast("marker");

		for (WsTestClient client : new WsTestClient[] { a, b, c, c2 }) {
			client.assertNextTexts("{\"n\":1}", "marker");
		}
	}

	@Test // #14
	void sendsCountThisInstancesConnectionsAndPresenceTellsWhetherTheUserIsAnywhere() throws Exception {
		WsTestClient here = cluster.connected(0, "count-a");
		WsTestClient there = cluster.connected(1, "count-b");
		WsTestClient alsoThere = cluster.connected(1, "count-b");
		cluster.manager(0).joinRoom("count-a", "count-room");
		cluster.manager(1).joinRoom("count-b", "count-room");

		assertThat(cluster.manager(0).sendToUser("count-b", "to b")).isZero();
		assertThat(cluster.manager(0).isUserOnline("count-b")).isTrue();
		assertThat(cluster.manager(0).sendToUser("count-a", "to a")).isOne();
		assertThat(cluster.manager(0).broadcastToRoom("count-room", "to the room")).isOne();
		assertThat(cluster.manager(1).broadcastToRoom("count-room", "to the room again")).isEqualTo(2);
		assertThat(cluster.manager(0).sendToUser("count-nobody", "to nobody")).isZero();
		assertThat(cluster.manager(0).isUserOnline("count-nobody")).isFalse();

		// Sent from two instances: no order between them.
		for (WsTestClient client : new WsTestClient[] { here, there, alsoThere }) {
			String first = (client == here) ? "to a" : "to b";
			assertThat(List.of(client.nextText(), client.nextText(), client.nextText()))
				.containsExactlyInAnyOrder(first, "to the room", "to the room again");
		}
	}

	@Test
	void broadcastWithExcludeUserSkipsThatUserOnEveryInstance() throws Exception {
		WsTestClient a = cluster.connected(0, "bx-a");
		WsTestClient excludedHere = cluster.connected(0, "bx-x");
		WsTestClient excludedThere = cluster.connected(1, "bx-x");
		WsTestClient b = cluster.connected(2, "bx-b");

		cluster.manager(0).broadcast("not for bx-x", "bx-x");
		cluster.manager(0).broadcast("marker");

		a.assertNextTexts("not for bx-x", "marker");
		b.assertNextTexts("not for bx-x", "marker");
		excludedHere.assertNextTexts("marker");
		excludedThere.assertNextTexts("marker");
	}

	@Test
	void sendToUserReachesLocalAndRemoteConnectionsOfTheUserOnce() throws Exception {
		WsTestClient local = cluster.connected(0, "dm-u");
		WsTestClient remote = cluster.connected(1, "dm-u");
		WsTestClient remoteToo = cluster.connected(2, "dm-u");
		WsTestClient other = cluster.connected(1, "dm-other");

		cluster.manager(0).sendToUser("dm-u", "hello");
		cluster.manager(0).sendToUser("dm-u", "marker");
		cluster.manager(0).sendToUser("dm-other", "marker");

		local.assertNextTexts("hello", "marker");
		remote.assertNextTexts("hello", "marker");
		remoteToo.assertNextTexts("hello", "marker");
		other.assertNextTexts("marker");
	}

	@Test
	void sendToUserFromAnInstanceWithoutTheUserReachesThem() throws Exception {
		WsTestClient remote = cluster.connected(2, "dm-far");

		cluster.manager(0).sendToUser("dm-far", new byte[] { 1, 2, 3 });

		assertThat(remote.nextBinary()).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
	}

	@Test // #13
	void persistentRoomMessagesReachMembersOnEveryInstanceInStreamOrder() throws Exception {
		WsTestClient dora = cluster.connected(0, "pst-dora");
		WsTestClient eli = cluster.connected(1, "pst-eli");
		WsTestClient eliAgain = cluster.connected(2, "pst-eli");
		assertThat(cluster.manager(0).joinRoom("pst-dora", "pst-room")).isTrue();
		assertThat(cluster.manager(1).joinRoom("pst-eli", "pst-room")).isTrue();

		StreamPosition first = cluster.manager(2).broadcastToRoomPersistent("pst-room", "one");
		StreamPosition second = cluster.manager(0).broadcastToRoomPersistent("pst-room", "two");
		StreamPosition everyone = cluster.manager(1).broadcastPersistent("to all");

		for (WsTestClient client : new WsTestClient[] { dora, eli, eliAgain }) {
			assertThat(client.nextText()).contains("\"data\":\"one\"").contains(first.token());
			assertThat(client.nextText()).contains("\"data\":\"two\"").contains(second.token());
			assertThat(client.nextText()).contains("\"data\":\"to all\"").contains(everyone.token());
		}
	}

	@Test
	void broadcastToRoomReachesMembersOnEveryInstanceExceptTheExcludedUser() throws Exception {
		WsTestClient alice = cluster.connected(0, "room-alice");
		WsTestClient bob = cluster.connected(1, "room-bob");
		WsTestClient bobAgain = cluster.connected(2, "room-bob");
		WsTestClient carol = cluster.connected(2, "room-carol");
		WsTestClient outsider = cluster.connected(1, "room-out");
		assertThat(cluster.manager(0).joinRoom("room-alice", "r1")).isTrue();
		assertThat(cluster.manager(1).joinRoom("room-bob", "r1")).isTrue();
		assertThat(cluster.manager(2).joinRoom("room-carol", "r1")).isTrue();

		cluster.manager(1).broadcastToRoom("r1", "from bob", "room-bob");
		cluster.manager(1).broadcastToRoom("r1", "all");
		cluster.manager(1).broadcast("marker");

		assertNextTextsOverChannels(alice, "from bob", "all", "marker");
		assertNextTextsOverChannels(carol, "from bob", "all", "marker");
		assertNextTextsOverChannels(bob, "all", "marker");
		assertNextTextsOverChannels(bobAgain, "all", "marker");
		outsider.assertNextTexts("marker");
	}

	@Test // #11
	void aRefusedJoinLeavesTheUserOutOfTheRoomOnEveryInstance() throws Exception {
		WsTestClient member = cluster.connected(0, "deny-member");
		WsTestClient guestHere = cluster.connected(0, ClusterApp.GUEST_PREFIX + "deny");
		WsTestClient guestThere = cluster.connected(2, ClusterApp.GUEST_PREFIX + "deny");
		assertThat(cluster.manager(0).joinRoom("deny-member", "doc:deny")).isTrue();
		assertThatExceptionOfType(RoomAccessDeniedException.class)
			.isThrownBy(() -> cluster.manager(1).joinRoom(ClusterApp.GUEST_PREFIX + "deny", "doc:deny"));
		assertThat(cluster.manager(1).joinRoom(ClusterApp.GUEST_PREFIX + "deny", ClusterApp.LOBBY_PREFIX + "deny"))
			.isTrue();

		cluster.manager(2).broadcastToRoom("doc:deny", "edit");
		cluster.manager(2).broadcastToRoom(ClusterApp.LOBBY_PREFIX + "deny", "hello");
		cluster.manager(2).broadcast("marker");

		assertNextTextsOverChannels(member, "edit", "marker");
		assertNextTextsOverChannels(guestHere, "hello", "marker");
		assertNextTextsOverChannels(guestThere, "hello", "marker");
		assertThat(cluster.manager(0).getRoomUsers("doc:deny")).containsExactly("deny-member");
	}

	@Test
	void joiningThroughOneInstanceAddsTheUsersConnectionsOnTheOthers() throws Exception {
		WsTestClient here = cluster.connected(0, "join-u");
		WsTestClient there = cluster.connected(2, "join-u");

		assertThat(cluster.manager(1).joinRoom("join-u", "r-join")).isTrue();
		await().atMost(WAIT)
			.until(() -> cluster.manager(0).getRoomUsers("r-join").contains("join-u")
					&& cluster.manager(2).getRoomUsers("r-join").contains("join-u"));
		cluster.manager(1).broadcastToRoom("r-join", "in");

		here.assertNextTexts("in");
		there.assertNextTexts("in");

		assertThat(cluster.manager(1).leaveRoom("join-u", "r-join")).isTrue();
		await().atMost(WAIT)
			.until(() -> cluster.manager(0).getRoomUsers("r-join").isEmpty()
					&& cluster.manager(2).getRoomUsers("r-join").isEmpty());
		cluster.manager(1).broadcastToRoom("r-join", "gone");
		cluster.manager(1).sendToUser("join-u", "marker");

		here.assertNextTexts("marker");
		there.assertNextTexts("marker");
	}

	@Test // #5
	void aRoomMessageRightAfterAJoinReachesTheUsersConnectionsOnEveryInstance() throws Exception {
		WsTestClient there = cluster.connected(1, "race-in");
		WsTestClient farther = cluster.connected(2, "race-in");
		List<String> expected = new ArrayList<>();

		for (int i = 0; i < 20; i++) {
			cluster.manager(0).joinRoom("race-in", "race-in-" + i);
			cluster.manager(0).broadcastToRoom("race-in-" + i, "in " + i);
			expected.add("in " + i);
		}
		cluster.manager(0).sendToUser("race-in", "marker");
		expected.add("marker");

		assertNextTextsOverChannels(there, expected.toArray(String[]::new));
		assertNextTextsOverChannels(farther, expected.toArray(String[]::new));
	}

	// On one Redis the leave notice and later room messages reach an instance in the
	// order Redis published them, on its one pub/sub connection; on a cluster the leave
	// waits for the user's instances to apply it.
	@Test
	void aRoomMessageRightAfterALeaveNoLongerReachesTheUser() throws Exception {
		WsTestClient there = cluster.connected(1, "race-out");
		WsTestClient farther = cluster.connected(2, "race-out");
		WsTestClient member = cluster.connected(2, "race-stays");
		for (int i = 0; i < 20; i++) {
			cluster.manager(0).joinRoom("race-out", "race-out-" + i);
			cluster.manager(0).joinRoom("race-stays", "race-out-" + i);
		}
		List<String> expected = new ArrayList<>();

		for (int i = 0; i < 20; i++) {
			cluster.manager(0).leaveRoom("race-out", "race-out-" + i);
			cluster.manager(0).broadcastToRoom("race-out-" + i, "after " + i);
			expected.add("after " + i);
		}
		cluster.manager(0).broadcast("marker");
		expected.add("marker");

		assertNextTextsOverChannels(member, expected.toArray(String[]::new));
		// Instance 2 delivered every room message to the member: none to the user.
		farther.assertNextTexts("marker");
		assertThat(farther.nextTextNow()).isEmpty();
		there.assertNextTexts("marker");
	}

	@Test
	void anInstanceSubscribesToARoomOnlyWhileItHasALocalMember() throws Exception {
		String channel = cluster.keys().roomChannel("r-sub");
		WsTestClient first = cluster.connected(0, "sub-a");
		WsTestClient second = cluster.connected(0, "sub-b");
		cluster.connected(1, "sub-c");
		assertThat(cluster.subscribers(channel)).isZero();

		cluster.manager(0).joinRoom("sub-a", "r-sub");
		cluster.manager(0).joinRoom("sub-b", "r-sub");
		assertThat(cluster.manager(0).subscribedChannels()).contains(channel);
		assertThat(cluster.manager(1).subscribedChannels()).doesNotContain(channel);
		assertThat(cluster.manager(2).subscribedChannels()).doesNotContain(channel);
		assertThat(cluster.subscribers(channel)).isOne();
		assertThat(cluster.redis().pubsubChannels("*")).noneMatch((name) -> name.endsWith("*"));

		cluster.manager(0).leaveRoom("sub-a", "r-sub");
		assertThat(cluster.manager(0).subscribedChannels()).contains(channel);
		second.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).subscribedChannels().contains(channel));
		await().atMost(WAIT).until(() -> cluster.subscribers(channel) == 0L);
		first.close();
	}

	@Test // #5
	void disconnectingAUserClosesTheirConnectionsOnEveryInstanceWithTheStatus() throws Exception {
		WsTestClient here = cluster.connected(0, "kick-u");
		WsTestClient there = cluster.connected(1, "kick-u");
		WsTestClient thereToo = cluster.connected(1, "kick-u");
		WsTestClient bystander = cluster.connected(1, "kick-other");

		cluster.manager(2).disconnect("kick-u", new CloseStatus(4003, "banned"));

		assertThat(here.awaitClose().code()).isEqualTo(4003);
		assertThat(there.awaitClose().code()).isEqualTo(4003);
		assertThat(thereToo.awaitClose().code()).isEqualTo(4003);
		await().atMost(WAIT).until(() -> !cluster.manager(2).isUserOnline("kick-u"));
		cluster.manager(0).sendToUser("kick-other", "marker");
		bystander.assertNextTexts("marker");
	}

	@Test
	void disconnectingOneSessionClosesOnlyThatSession() throws Exception {
		WsTestClient quitting = cluster.connected(0, "quit-u");
		WsTestClient staying = cluster.connected(1, "quit-u");

		quitting.send("{\"op\":\"quit\"}");

		assertThat(quitting.awaitClose().code()).isEqualTo(4000);
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("quit-u"));
		cluster.manager(0).sendToUser("quit-u", "still here");
		staying.assertNextTexts("still here");
		assertThat(cluster.manager(2).isUserOnline("quit-u")).isTrue();
	}

	@Test
	void clientCommandsTravelAcrossInstances() throws Exception {
		WsTestClient alice = cluster.connected(0, "cmd-alice");
		WsTestClient bob = cluster.connected(1, "cmd-bob");
		alice.send("{\"op\":\"join\",\"room\":\"cmd-room\"}");
		bob.send("{\"op\":\"join\",\"room\":\"cmd-room\"}");
		await().atMost(WAIT).until(() -> cluster.manager(2).getRoomUsersGlobal("cmd-room").size() == 2);

		bob.send("{\"op\":\"room\",\"room\":\"cmd-room\",\"text\":\"hi room\"}");
		bob.send("{\"op\":\"dm\",\"to\":\"cmd-alice\",\"text\":\"hi alice\"}");

		alice.assertNextTexts("hi room", "hi alice");
	}

	@Test
	void publishedAndReceivedCountersMove() throws Exception {
		WsTestClient remote = cluster.connected(1, "count-u");
		long published = cluster.manager(0).publishedMessageCount();
		long received = cluster.manager(1).receivedMessageCount();

		cluster.manager(0).sendToUser("count-u", "counted");

		remote.assertNextTexts("counted");
		assertThat(cluster.manager(0).publishedMessageCount()).isGreaterThan(published);
		assertThat(cluster.manager(1).receivedMessageCount()).isGreaterThan(received);
	}

}
