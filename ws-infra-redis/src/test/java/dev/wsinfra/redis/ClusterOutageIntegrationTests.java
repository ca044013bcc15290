package dev.wsinfra.redis;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.test.WsTestClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * A whole Redis Cluster of three masters and three replicas killed ({@code kill -9} of
 * every node) in the middle of traffic and started again on the same ports, where it
 * forms again from its node files, empty (no persistence): the guarantees of
 * {@link RedisOutageIntegrationTests} on a cluster. The instances keep delivering locally
 * meanwhile and report Redis unavailable, then reconnect, resubscribe and put their
 * users, connections and rooms back, and everything works across instances again.
 */
class ClusterOutageIntegrationTests {

	private static final Log logger = LogFactory.getLog(ClusterOutageIntegrationTests.class);

	// Measured 2.3 to 2.6 s after the nodes answer again, of which 2 s until the masters
	// say the cluster is ok (Redis holds a restarted master back that long); generous
	// for a loaded machine.
	private static final Duration RESUME = Duration.ofSeconds(30);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private static Cluster cluster;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2, "ws.redis.presence-ttl=3s", "ws.redis.command-timeout=500ms",
				"test.max-connections-per-user=2");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	// A failed test may leave the cluster down: the next one starts on a whole one.
	@AfterEach
	void restartRedis() throws Exception {
		redis.start();
		await().atMost(WAIT).until(() -> cluster.manager(0).isBackendAvailable());
		await().atMost(WAIT).until(() -> cluster.manager(1).isBackendAvailable());
	}

	@Test // #13
	void afterTheWholeClusterRestartsEverythingWorksAcrossInstancesAgain() throws Exception {
		WsTestClient alice = cluster.connected(0, "alice");
		WsTestClient bob = cluster.connected(1, "bob");
		WsTestClient bobOnTheFirst = cluster.connected(0, "bob");
		WsTestClient leaver = cluster.connected(1, "leaver");
		WsTestClient goes = cluster.connected(1, "goes");
		cluster.manager(0).joinRoom("alice", "ops");
		cluster.manager(1).joinRoom("bob", "ops");
		cluster.manager(1).joinRoom("leaver", "ops");
		cluster.manager(0).broadcast("before");
		alice.assertNextTexts("before");
		bob.assertNextTexts("before");
		bobOnTheFirst.assertNextTexts("before");
		leaver.assertNextTexts("before");
		goes.assertNextTexts("before");
		assertThat(health(0)).isEqualTo("UP");

		redis.stop();
		assertThatNoException().isThrownBy(() -> cluster.manager(0).broadcast("during"));
		alice.assertNextTexts("during");
		bobOnTheFirst.assertNextTexts("during");
		await().atMost(WAIT).until(() -> !cluster.manager(1).isBackendAvailable());
		await().atMost(WAIT).until(() -> !cluster.manager(0).isBackendAvailable());
		// The health endpoint reuses an answer for a second.
		await().atMost(WAIT).until(() -> "DEGRADED".equals(health(0)) && "DEGRADED".equals(health(1)));
		assertThat(cluster.manager(1).leaveRoom("leaver", "ops")).isTrue();
		goes.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(1).isUserConnected("goes"));
		WsTestClient latecomer = cluster.connected(1, "latecomer");
		cluster.manager(1).joinRoom("latecomer", "ops");

		for (int port : redis.ports()) {
			redis.restart(port);
		}
		// The nodes answer; the cluster forms again from their node files meanwhile.
		long back = System.nanoTime();
		// Available only once the subscriptions are back: a message sent right then
		// arrives.
		await().atMost(RESUME)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> cluster.manager(0).isBackendAvailable() && cluster.manager(1).isBackendAvailable());
		long available = millisSince(back);
		cluster.manager(1).broadcastToRoom("ops", "right after");
		alice.assertNextTexts("right after");
		long resumed = millisSince(back);
		logger.info("Both instances available " + available + " ms and cross-instance delivery resumed " + resumed
				+ " ms after the nodes answered again");
		assertThat(Duration.ofMillis(resumed)).isLessThan(RESUME);
		redis.awaitHealthy();
		bob.assertNextTexts("right after");
		bobOnTheFirst.assertNextTexts("right after");
		latecomer.assertNextTexts("right after");

		await().atMost(WAIT).until(() -> "UP".equals(health(0)) && "UP".equals(health(1)));
		// The instances serve the other tests' users too.
		await().atMost(WAIT)
			.until(() -> cluster.manager(0)
				.getOnlineUsers()
				.containsAll(List.of("alice", "bob", "leaver", "latecomer")));
		await().atMost(WAIT).until(() -> cluster.manager(0).getRoomUsersGlobal("ops").size() == 3);
		assertThat(cluster.manager(1).getOnlineUsers()).contains("alice", "bob", "leaver", "latecomer")
			.doesNotContain("goes");
		assertThat(cluster.manager(1).getRoomUsersGlobal("ops")).containsExactlyInAnyOrder("alice", "bob", "latecomer");
		assertThat(cluster.manager(1).getUserPresence("bob").orElseThrow().connections())
			.extracting(PresenceConnection::instanceId)
			.containsExactlyInAnyOrder("i0", "i1");
		assertThat(cluster.manager(0).getUserPresence("goes")).isEmpty();

		cluster.manager(0).broadcastToRoom("ops", "room after");
		cluster.manager(1).sendToUser("alice", "direct after");
		cluster.manager(0).broadcast("broadcast after");
		// Sent from two instances: no order between them.
		assertThat(List.of(alice.nextText(), alice.nextText(), alice.nextText()))
			.containsExactlyInAnyOrder("room after", "direct after", "broadcast after");
		// A room's channel and a broadcast partition are on different nodes: no order
		// between them either.
		for (WsTestClient member : List.of(bob, bobOnTheFirst, latecomer)) {
			assertThat(List.of(member.nextText(), member.nextText())).containsExactlyInAnyOrder("room after",
					"broadcast after");
		}
		leaver.assertNextTexts("broadcast after");

		// Bob's two connections, one on each instance, are counted again.
		assertThat(cluster.open(1, "user=bob").awaitClose().code()).isEqualTo(4008);
		assertThat(cluster.open(0, "user=bob").awaitClose().code()).isEqualTo(4008);
	}

	@Test // #13
	void aClientResumingFromBeforeTheOutageIsToldThatNothingWasRecovered() throws Exception {
		WsTestClient client = cluster.connected(0, "resumer");
		cluster.manager(1).sendToUserPersistent("resumer", Map.of("n", 1));
		String position = client.nextJson().path("position").asString();
		client.closeAndWait();
		await().atMost(WAIT).until(() -> !cluster.manager(0).isUserConnected("resumer"));

		redis.stop();
		await().atMost(WAIT).until(() -> !cluster.manager(1).isBackendAvailable());
		redis.start();
		await().atMost(WAIT).until(() -> cluster.manager(1).isBackendAvailable());
		StreamPosition after = await().atMost(WAIT)
			.ignoreExceptions()
			.until(() -> cluster.manager(1).sendToUserPersistent("resumer", Map.of("n", 2)), Objects::nonNull);
		await().atMost(WAIT).until(() -> cluster.manager(0).isBackendAvailable());
		WsTestClient back = cluster.open(0,
				"user=resumer&position=" + URLEncoder.encode(position, StandardCharsets.UTF_8));

		LostEntries.assertNothingRecovered(back, position, after);
		cluster.manager(1).sendToUserPersistent("resumer", Map.of("n", 3));
		JsonNode live = back.nextJson();
		assertThat(live.path("data").path("n").asInt()).isEqualTo(3);
		assertThat(live.path("position").asString()).startsWith(after.epoch() + ":");
	}

	private String health(int instance) throws Exception {
		int port = ((WebServerApplicationContext) cluster.context(instance)).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
			.timeout(WAIT)
			.build();
		String body = this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		return JSON.readTree(body).path("status").asString();
	}

	private static long millisSince(long start) {
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

}
