package dev.wsinfra.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * Redis stops in the middle of traffic and comes back empty (no persistence): the
 * instances keep delivering locally meanwhile, then reconnect, resubscribe and put their
 * users, connections and rooms back, and everything works across instances again.
 */
class RedisOutageIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private Cluster cluster;

	@BeforeEach
	void startCluster() {
		this.cluster = Cluster.start(redis, 2, "ws.redis.presence-ttl=3s", "ws.redis.command-timeout=500ms");
	}

	@AfterEach
	void stopCluster() throws Exception {
		this.cluster.close();
		redis.start();
	}

	@Test
	void afterARedisRestartEverythingWorksAcrossInstancesAgain() throws Exception {
		WsTestClient alice = this.cluster.connected(0, "alice");
		WsTestClient bob = this.cluster.connected(1, "bob");
		WsTestClient bobOnTheFirst = this.cluster.connected(0, "bob");
		WsTestClient leaver = this.cluster.connected(1, "leaver");
		this.cluster.manager(0).joinRoom("alice", "ops");
		this.cluster.manager(1).joinRoom("bob", "ops");
		this.cluster.manager(1).joinRoom("leaver", "ops");
		this.cluster.manager(0).broadcast("before");
		alice.assertNextTexts("before");
		bob.assertNextTexts("before");
		bobOnTheFirst.assertNextTexts("before");
		leaver.assertNextTexts("before");

		redis.stop();
		assertThatNoException().isThrownBy(() -> this.cluster.manager(0).broadcast("during"));
		alice.assertNextTexts("during");
		bobOnTheFirst.assertNextTexts("during");
		await().atMost(WAIT).until(() -> !this.cluster.manager(1).isBackendAvailable());
		assertThat(this.cluster.manager(1).leaveRoom("leaver", "ops")).isTrue();
		WsTestClient latecomer = this.cluster.connected(1, "latecomer");
		this.cluster.manager(1).joinRoom("latecomer", "ops");
		redis.start();

		// The global queries fail at once until the instance sees Redis answer again:
		// wait for that, rather than poll queries that throw meanwhile.
		await().atMost(WAIT).until(() -> this.cluster.manager(0).isBackendAvailable());
		await().atMost(WAIT).until(() -> this.cluster.manager(1).isBackendAvailable());
		await().atMost(WAIT).until(() -> this.cluster.manager(0).getOnlineUsers().size() == 4);
		await().atMost(WAIT).until(() -> this.cluster.manager(0).getRoomUsersGlobal("ops").size() == 3);
		assertThat(this.cluster.manager(0).getOnlineUsers()).containsExactlyInAnyOrder("alice", "bob", "leaver",
				"latecomer");
		assertThat(this.cluster.manager(1).getRoomUsersGlobal("ops")).containsExactlyInAnyOrder("alice", "bob",
				"latecomer");
		assertThat(this.cluster.manager(1).getUserPresence("bob").orElseThrow().connections())
			.extracting(PresenceConnection::instanceId)
			.containsExactlyInAnyOrder("i0", "i1");
		assertThat(this.cluster.manager(0).isBackendAvailable()).isTrue();

		await().atMost(WAIT)
			.until(() -> this.cluster.redis()
				.pubsubNumsub(this.cluster.prefix() + "broadcast")
				.get(this.cluster.prefix() + "broadcast") == 2L);
		await().atMost(WAIT)
			.until(() -> this.cluster.redis()
				.pubsubNumsub(this.cluster.prefix() + "room:ops")
				.get(this.cluster.prefix() + "room:ops") == 2L);
		this.cluster.manager(0).broadcastToRoom("ops", "room after");
		this.cluster.manager(1).sendToUser("alice", "direct after");
		this.cluster.manager(0).broadcast("broadcast after");
		// Sent from two instances: no order between them.
		assertThat(List.of(alice.nextText(), alice.nextText(), alice.nextText()))
			.containsExactlyInAnyOrder("room after", "direct after", "broadcast after");
		bob.assertNextTexts("room after", "broadcast after");
		bobOnTheFirst.assertNextTexts("room after", "broadcast after");
		latecomer.assertNextTexts("room after", "broadcast after");
		leaver.assertNextTexts("broadcast after");
	}

	@Test // #13
	void afterARedisRestartAnInstanceIsAvailableOnlyOnceItsSubscriptionsAreBack() throws Exception {
		WsTestClient alice = this.cluster.connected(0, "alice");
		this.cluster.manager(0).joinRoom("alice", "ops");
		redis.stop();
		await().atMost(WAIT).until(() -> !this.cluster.manager(0).isBackendAvailable());
		redis.start();

		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.cluster.manager(0).isBackendAvailable());
		// The broadcast, acknowledgement, user and room channels of instance i0.
		assertThat(subscriptionsOf("i0")).isEqualTo(4);
		await().atMost(WAIT).until(() -> this.cluster.manager(1).isBackendAvailable());
		this.cluster.manager(1).broadcastToRoom("ops", "right after");
		alice.assertNextTexts("right after");
	}

	// What CLIENT LIST says the connections named after an instance subscribe to.
	private int subscriptionsOf(String instance) {
		int subscriptions = 0;
		for (String client : this.cluster.redis().clientList().split("\n")) {
			if (client.contains(" name=" + instance + " ")) {
				for (String field : client.split(" ")) {
					if (field.startsWith("sub=")) {
						subscriptions += Integer.parseInt(field.substring(4).trim());
					}
				}
			}
		}
		return subscriptions;
	}

	@Test // #5
	void afterARestoreOfAnOlderSnapshotNothingIsRecoveredAcrossTheLostEntries() throws Exception {
		this.cluster.connected(0, "snap-anchor");
		WsTestClient client = this.cluster.connected(0, "snap-u");
		this.cluster.manager(1).sendToUserPersistent("snap-u", Map.of("n", 1));
		String position = client.nextJson().path("position").asString();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !this.cluster.manager(0).isUserConnected("snap-u"));
		this.cluster.redis().save();
		this.cluster.manager(1).sendToUserPersistent("snap-u", Map.of("n", 2));

		redis.stop();
		redis.start();
		String stream = this.cluster.keys().userStream("snap-u");
		assertThat(this.cluster.redis().xlen(stream)).as("the entry after the snapshot is lost").isOne();
		// Instance 0 is back once it registered its connections again.
		await().atMost(WAIT)
			.until(() -> this.cluster.redis().hexists(this.cluster.keys().userState("snap-anchor"), "online"));
		// Redis was back at once: instance 1 may not have seen it go, and its first
		// command can still meet the connection being re-established.
		StreamPosition after = await().atMost(WAIT)
			.ignoreExceptions()
			.until(() -> this.cluster.manager(1).sendToUserPersistent("snap-u", Map.of("n", 3)), Objects::nonNull);

		WsTestClient back = this.cluster.open(0,
				"user=snap-u&position=" + URLEncoder.encode(position, StandardCharsets.UTF_8));

		LostEntries.assertNothingRecovered(back, position, after);
		this.cluster.manager(1).sendToUserPersistent("snap-u", Map.of("n", 4));
		JsonNode live = back.nextJson();
		assertThat(live.path("data").path("n").asInt()).isEqualTo(4);
		assertThat(live.path("position").asString()).startsWith(after.epoch() + ":");
	}

	@Test
	void connectionsClosedDuringTheOutageAreGoneAfterIt() throws Exception {
		this.cluster.connected(0, "stays");
		WsTestClient goes = this.cluster.connected(1, "goes");

		redis.stop();
		await().atMost(WAIT).until(() -> !this.cluster.manager(1).isBackendAvailable());
		goes.closeAndWait();
		await().atMost(WAIT).until(() -> !this.cluster.manager(1).isUserConnected("goes"));
		redis.start();

		await().atMost(WAIT).until(() -> this.cluster.manager(1).isBackendAvailable());
		await().atMost(WAIT).until(() -> this.cluster.manager(1).getOnlineUsers().contains("stays"));
		assertThat(this.cluster.manager(1).getOnlineUsers()).containsExactly("stays");
		assertThat(this.cluster.manager(1).getUserPresence("goes")).isEmpty();
	}

}
