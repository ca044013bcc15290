package dev.wsinfra.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Persistent messages and connection state recovery across two instances: a client that
 * comes back, on any instance, with its last position gets exactly what it missed, in
 * order, before live messages, or a clear {@code recovered: false}.
 */
class StreamRecoveryIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int MAX_LENGTH = 50;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2, "ws.redis.stream.max-length=" + MAX_LENGTH);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	private static String positionQuery(String user, String... positions) {
		StringBuilder query = new StringBuilder("user=" + user);
		for (String position : positions) {
			query.append("&position=").append(URLEncoder.encode(position, StandardCharsets.UTF_8));
		}
		return query.toString();
	}

	/** Reads stream frames until the recovery frame, returning the data of each. */
	private static List<Integer> readUntilRecovery(WsTestClient client, JsonNode[] recovery) throws Exception {
		List<Integer> sequence = new ArrayList<>();
		while (true) {
			JsonNode frame = client.nextJson();
			if ("recovery".equals(frame.path("type").asString())) {
				recovery[0] = frame;
				return sequence;
			}
			sequence.add(frame.path("data").path("n").asInt());
		}
	}

	@Test
	void persistentMessagesCarryTheirPositionAndReachEveryTargetOnce() throws Exception {
		WsTestClient alice = cluster.connected(0, "live-alice");
		WsTestClient bob = cluster.connected(1, "live-bob");
		cluster.manager(0).joinRoom("live-alice", "live");
		cluster.manager(1).joinRoom("live-bob", "live");

		StreamPosition position = cluster.manager(0).broadcastToRoomPersistent("live", Map.of("n", 1));
		// The marker is in the same stream: only stream order is guaranteed against a
		// persistent message, which reaches even its sender's instance through Redis.
		cluster.manager(1).broadcastToRoomPersistent("live", "marker");

		for (WsTestClient client : new WsTestClient[] { alice, bob }) {
			JsonNode frame = client.nextJson();
			assertThat(frame.path("type").asString()).isEqualTo("message");
			assertThat(frame.path("stream").asString()).isEqualTo("room:live");
			assertThat(frame.path("position").asString()).isEqualTo(position.token());
			assertThat(frame.path("id").asString()).isEqualTo(position.id());
			assertThat(frame.path("data").path("n").asInt()).isEqualTo(1);
			assertThat(client.nextJson().path("data").asString()).isEqualTo("marker");
		}
		StreamPosition direct = cluster.manager(1).sendToUserPersistent("live-alice", "just you");
		assertThat(alice.nextJson().path("data").asString()).isEqualTo("just you");
		assertThat(direct.stream()).isEqualTo("user:live-alice");
		cluster.manager(1).broadcastPersistent("everyone");
		assertThat(alice.nextJson().path("stream").asString()).isEqualTo("broadcast");
		assertThat(bob.nextJson().path("data").asString()).isEqualTo("everyone");
	}

	@Test
	void aClientBackWithItsLastPositionGetsExactlyWhatItMissedThenLiveMessages() throws Exception {
		WsTestClient anchor = cluster.connected(0, "rec-anchor");
		cluster.manager(0).joinRoom("rec-anchor", "rec");
		WsTestClient bob = cluster.connected(1, "rec-bob");
		cluster.manager(1).joinRoom("rec-bob", "rec");
		for (int n = 1; n <= 3; n++) {
			cluster.manager(0).broadcastToRoomPersistent("rec", Map.of("n", n));
		}
		String last = null;
		for (int n = 1; n <= 3; n++) {
			JsonNode frame = bob.nextJson();
			assertThat(frame.path("data").path("n").asInt()).isEqualTo(n);
			last = frame.path("position").asString();
		}
		bob.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(1).isUserConnected("rec-bob"));
		for (int n = 4; n <= 8; n++) {
			cluster.manager(0).broadcastToRoomPersistent("rec", Map.of("n", n));
		}
		long replayedBefore = cluster.manager(0).replayedMessageCount();

		WsTestClient back = cluster.connected(0, positionQuery("rec-bob", last), "rec-bob");
		cluster.manager(0).joinRoom("rec-bob", "rec");
		cluster.manager(1).broadcastToRoomPersistent("rec", Map.of("n", 9));

		// Message 9 is either replayed (appended before the recovery read) or live, after
		// the recovery frame: once either way, and in order.
		JsonNode[] recovery = new JsonNode[1];
		List<Integer> replayed = readUntilRecovery(back, recovery);
		assertThat(replayed).startsWith(4, 5, 6, 7, 8).hasSizeBetween(5, 6);
		assertThat(recovery[0].path("recovered").asBoolean()).isTrue();
		assertThat(recovery[0].path("replayed").asInt()).isEqualTo(replayed.size());
		assertThat(recovery[0].path("stream").asString()).isEqualTo("room:rec");
		if (replayed.size() == 5) {
			assertThat(back.nextJson().path("data").path("n").asInt()).isEqualTo(9);
		}
		cluster.manager(0).sendToUser("rec-bob", "marker");
		back.assertNextTexts("marker");
		assertThat(cluster.manager(0).replayedMessageCount() - replayedBefore).isEqualTo(replayed.size());
		anchor.close();
	}

	@Test
	void recoveryUnderLiveTrafficHasNeitherGapNorDuplicate() throws Exception {
		WsTestClient watcher = cluster.connected(0, "busy-watcher");
		StreamPosition start = cluster.manager(1).broadcastPersistent(Map.of("n", 0), "busy");
		assertThat(watcher.nextJson().path("data").path("n").asInt()).isZero();
		watcher.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("busy-watcher"));
		// Stay within the stream's maximum length, so that the position is still held.
		int missed = 15;
		int total = MAX_LENGTH - 5;
		for (int n = 1; n <= missed; n++) {
			cluster.manager(n % 2).broadcastPersistent(Map.of("n", n), "busy");
		}

		CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
			for (int n = missed + 1; n <= total; n++) {
				cluster.manager(n % 2).broadcastPersistent(Map.of("n", n), "busy");
			}
		});
		WsTestClient back = cluster.open(0, positionQuery("busy-watcher", start.token()));
		publisher.get();

		List<Integer> seen = new ArrayList<>();
		int recoveries = 0;
		// The recovery frame comes after every entry when the replay read them all.
		while (seen.size() < total || recoveries == 0) {
			JsonNode frame = back.nextJson();
			if ("recovery".equals(frame.path("type").asString())) {
				assertThat(frame.path("recovered").asBoolean()).isTrue();
				assertThat(seen).hasSizeGreaterThanOrEqualTo(missed);
				recoveries++;
			}
			else {
				seen.add(frame.path("data").path("n").asInt());
			}
		}
		List<Integer> expected = new ArrayList<>();
		for (int n = 1; n <= total; n++) {
			expected.add(n);
		}
		assertThat(recoveries).isOne();
		assertThat(seen).containsExactlyElementsOf(expected);
		cluster.manager(1).broadcast("marker");
		back.assertNextTexts("marker");
	}

	@Test
	void aPositionTheStreamNoLongerHoldsIsNotRecovered() throws Exception {
		WsTestClient client = cluster.connected(0, "trim-u");
		StreamPosition old = cluster.manager(0).sendToUserPersistent("trim-u", Map.of("n", 0));
		assertThat(client.nextJson().path("data").path("n").asInt()).isZero();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("trim-u"));
		for (int n = 1; n <= MAX_LENGTH + 10; n++) {
			cluster.manager(1).sendToUserPersistent("trim-u", Map.of("n", n));
		}
		assertThat(cluster.redis().xlen(cluster.keys().userStream("trim-u"))).isEqualTo(MAX_LENGTH);
		long failedBefore = cluster.manager(1).failedRecoveryCount();

		WsTestClient back = cluster.open(1, positionQuery("trim-u", old.token()));
		JsonNode recovery = back.nextJson();

		assertThat(recovery.path("type").asString()).isEqualTo("recovery");
		assertThat(recovery.path("recovered").asBoolean()).isFalse();
		assertThat(recovery.path("replayed").asInt()).isZero();
		assertThat(cluster.manager(1).failedRecoveryCount()).isEqualTo(failedBefore + 1);
		cluster.manager(0).sendToUserPersistent("trim-u", Map.of("n", 99));
		assertThat(back.nextJson().path("data").path("n").asInt()).isEqualTo(99);
	}

	@Test // #11
	void aBacklogLargerThanHalfTheQueueBudgetIsNotRecoveredAndTheConnectionStays() throws Exception {
		WsTestClient client = cluster.connected(0, "big-u");
		StreamPosition old = cluster.manager(0).sendToUserPersistent("big-u", Map.of("n", 0));
		assertThat(client.nextJson().path("data").path("n").asInt()).isZero();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("big-u"));
		String pad = "p".repeat(100_000);
		for (int n = 1; n <= 12; n++) {
			cluster.manager(1).sendToUserPersistent("big-u", Map.of("n", n, "pad", pad));
		}
		long failedBefore = cluster.manager(1).failedRecoveryCount();

		WsTestClient back = cluster.open(1, positionQuery("big-u", old.token()));
		JsonNode recovery = back.nextJson();

		assertThat(recovery.path("type").asString()).isEqualTo("recovery");
		assertThat(recovery.path("recovered").asBoolean()).isFalse();
		assertThat(cluster.manager(1).failedRecoveryCount()).isEqualTo(failedBefore + 1);
		cluster.manager(0).sendToUserPersistent("big-u", Map.of("n", 99));
		assertThat(back.nextJson().path("data").path("n").asInt()).isEqualTo(99);
	}

	@Test
	void aPositionFromBeforeTheStreamWasLostIsNotRecovered() throws Exception {
		WsTestClient client = cluster.connected(0, "epoch-u");
		StreamPosition before = cluster.manager(0).sendToUserPersistent("epoch-u", "first");
		client.nextJson();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("epoch-u"));
		cluster.redis().del(cluster.keys().userStream("epoch-u"));
		StreamPosition after = cluster.manager(0).sendToUserPersistent("epoch-u", "second");
		assertThat(after.epoch()).isNotEqualTo(before.epoch());
		// Forge a position with the old epoch at an id the new stream does hold.
		String forged = new StreamPosition(before.stream(), before.epoch(), after.id()).token();

		WsTestClient back = cluster.open(1, positionQuery("epoch-u", forged));
		JsonNode recovery = back.nextJson();

		assertThat(recovery.path("recovered").asBoolean()).isFalse();
		assertThat(recovery.path("replayed").asInt()).isZero();
	}

	@Test
	void theFirstMessageMayCarryThePositionsInstead() throws Exception {
		WsTestClient client = cluster.connected(1, "first-msg");
		StreamPosition position = cluster.manager(1).sendToUserPersistent("first-msg", Map.of("n", 1));
		client.nextJson();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(1).isUserConnected("first-msg"));
		cluster.manager(0).sendToUserPersistent("first-msg", Map.of("n", 2));
		cluster.manager(0).sendToUserPersistent("first-msg", Map.of("n", 3));

		WsTestClient back = cluster.connected(0, "first-msg");
		back.send("{\"op\":\"recover\",\"positions\":[\"" + position.token() + "\",\"garbage\"]}");

		JsonNode[] recovery = new JsonNode[1];
		assertThat(readUntilRecovery(back, recovery)).containsExactly(2, 3);
		assertThat(recovery[0].path("recovered").asBoolean()).isTrue();
		JsonNode malformed = back.nextJson();
		assertThat(malformed.path("type").asString()).isEqualTo("recovery");
		assertThat(malformed.path("recovered").asBoolean()).isFalse();
	}

	@Test
	void aRoomStreamIsOnlyRecoveredForMembersAndSkipsWhatExcludedThem() throws Exception {
		WsTestClient member = cluster.connected(0, "acl-member");
		cluster.manager(0).joinRoom("acl-member", "acl");
		StreamPosition start = cluster.manager(0).broadcastToRoomPersistent("acl", Map.of("n", 1));
		member.nextJson();
		member.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("acl-member"));
		WsTestClient anchor = cluster.connected(1, "acl-anchor");
		cluster.manager(1).joinRoom("acl-anchor", "acl");
		cluster.manager(1).broadcastToRoomPersistent("acl", Map.of("n", 2));
		cluster.manager(1).broadcastToRoomPersistent("acl", Map.of("n", 3), "acl-member");
		cluster.manager(1).broadcastToRoomPersistent("acl", Map.of("n", 4));

		WsTestClient outsider = cluster.connected(1, "acl-outsider");
		outsider.send("{\"op\":\"recover\",\"positions\":[\"" + start.token() + "\"]}");
		JsonNode refused = outsider.nextJson();
		assertThat(refused.path("recovered").asBoolean()).isFalse();

		WsTestClient back = cluster.connected(1, "acl-member");
		back.send("{\"op\":\"join\",\"room\":\"acl\"}");
		await().atMost(WAIT).until(() -> cluster.manager(1).getRoomUsers("acl").contains("acl-member"));
		back.send("{\"op\":\"recover\",\"positions\":[\"" + start.token() + "\"]}");
		JsonNode[] recovery = new JsonNode[1];
		assertThat(readUntilRecovery(back, recovery)).containsExactly(2, 4);
		assertThat(recovery[0].path("replayed").asInt()).isEqualTo(2);
		assertThat(recovery[0].path("position").asString()).endsWith("@room:acl");
		anchor.close();
	}

	@Test // #5
	void aHandshakeRecoversAtMostTheMaximumNumberOfStreamsAndOnePositionPerStream() throws Exception {
		int streams = RedisConnectionManagerOptions.DEFAULT_MAX_RECOVERY_POSITIONS + 4;
		List<String> positions = new ArrayList<>();
		for (int i = 0; i < streams; i++) {
			positions.add(cluster.manager(1).broadcastPersistent(Map.of("n", 0), "many-" + i).token());
			cluster.manager(1).broadcastPersistent(Map.of("n", 1), "many-" + i);
		}
		positions.add(positions.get(0));
		long recoveriesBefore = cluster.manager(0).recoveryCount();

		WsTestClient client = cluster.open(0, positionQuery("many-u", positions.toArray(String[]::new)));

		List<Boolean> outcomes = new ArrayList<>();
		int replayed = 0;
		while (outcomes.size() < streams) {
			JsonNode frame = client.nextJson();
			if ("recovery".equals(frame.path("type").asString())) {
				outcomes.add(frame.path("recovered").asBoolean());
			}
			else {
				replayed++;
			}
		}
		cluster.manager(0).sendToUser("many-u", "marker");
		client.assertNextTexts("marker");
		assertThat(outcomes).filteredOn(Boolean::booleanValue)
			.hasSize(RedisConnectionManagerOptions.DEFAULT_MAX_RECOVERY_POSITIONS);
		assertThat(outcomes).filteredOn((recovered) -> !recovered).hasSize(4);
		assertThat(replayed).isEqualTo(RedisConnectionManagerOptions.DEFAULT_MAX_RECOVERY_POSITIONS);
		assertThat(cluster.manager(0).recoveryCount() - recoveriesBefore)
			.isEqualTo(RedisConnectionManagerOptions.DEFAULT_MAX_RECOVERY_POSITIONS);
	}

	@Test
	void historyAndReplayReadTheStream() throws Exception {
		WsTestClient reader = cluster.connected(1, "hist-u");
		StreamPosition first = cluster.manager(0).broadcastPersistent(Map.of("n", 1), "hist");
		cluster.manager(0).broadcastPersistent("two", "hist");
		cluster.manager(0).broadcastPersistent(Map.of("n", 3), "hist");
		for (int i = 0; i < 3; i++) {
			reader.nextJson();
		}

		List<StreamMessage> all = cluster.manager(1).getMessageHistory("hist", 10, "0");
		List<StreamMessage> after = cluster.manager(1).getMessageHistory("hist", 10, first.id());
		List<StreamMessage> capped = cluster.manager(1).getMessageHistory("hist", 1, "0");

		assertThat(all).hasSize(3);
		assertThat(all.get(0).position()).isEqualTo(first);
		assertThat(all.get(1).data().asString()).isEqualTo("two");
		assertThat(after).extracting(StreamMessage::id).containsExactly(all.get(1).id(), all.get(2).id());
		assertThat(capped).hasSize(1);
		assertThat(cluster.manager(0).replayMessagesToUser("hist-u", "hist", first.id())).isEqualTo(2);
		JsonNode replay = reader.nextJson();
		assertThat(replay.path("type").asString()).isEqualTo("replay");
		assertThat(replay.path("data").asString()).isEqualTo("two");
		assertThat(reader.nextJson().path("data").path("n").asInt()).isEqualTo(3);
	}

	@Test
	void streamsAreCappedAtTheirMaximumLength() {
		for (int n = 0; n < MAX_LENGTH * 2; n++) {
			cluster.manager(n % 2).broadcastPersistent(Map.of("n", n), "capped");
		}
		assertThat(cluster.redis().xlen(cluster.keys().stream("capped"))).isEqualTo(MAX_LENGTH);
		assertThat(cluster.manager(0).getMessageHistory("capped", 1, "0").get(0).data().path("n").asInt())
			.isEqualTo(MAX_LENGTH);
	}

	@Test // #13
	void appendingDoesNotAskTheServerWhichRunItIsEachTime() {
		long before = infoCalls();

		for (int n = 0; n < 100; n++) {
			cluster.manager(0).broadcastPersistent(Map.of("n", n), "run-check");
		}

		// Heartbeats ask it too, a few times a minute per instance.
		assertThat(infoCalls() - before).isLessThan(20);
	}

	private static long infoCalls() {
		for (String line : cluster.redis().info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_info:")) {
				return Long.parseLong(line.replaceAll(".*\\bcalls=(\\d+).*", "$1"));
			}
		}
		return 0;
	}

}
