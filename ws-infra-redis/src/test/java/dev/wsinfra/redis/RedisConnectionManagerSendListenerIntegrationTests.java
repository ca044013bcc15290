package dev.wsinfra.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.server.SendListener;
import dev.wsinfra.server.SendType;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What two instances tell their {@link SendListener}s: each reports what it queues on its
 * own connections, so that a message is counted once per connection across the cluster.
 */
class RedisConnectionManagerSendListenerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static Cluster cluster;

	private static final Counts[] counts = { new Counts(), new Counts() };

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 2);
		cluster.manager(0).onSend(counts[0]);
		cluster.manager(1).onSend(counts[1]);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test // #12
	void aPlainSendIsReportedByTheInstanceHoldingItsRecipientOnly() throws Exception {
		WsTestClient alice = cluster.connected(1, "plain-alice");
		Map<SendType, Integer> before0 = counts[0].snapshot();
		Map<SendType, Integer> before1 = counts[1].snapshot();
		cluster.manager(0).sendToUser("plain-alice", "from the other instance");
		assertThat(alice.nextText()).isEqualTo("from the other instance");
		await().atMost(WAIT).until(() -> counts[1].increase(before1, SendType.USER) == 1);
		assertThat(counts[0].snapshot()).isEqualTo(before0);
	}

	@Test // #12
	void persistentSendsAreReportedOnEveryInstanceHoldingARecipientTheSendersIncluded() throws Exception {
		WsTestClient alice = cluster.connected(0, "persistent-alice");
		WsTestClient bob = cluster.connected(1, "persistent-bob");
		cluster.manager(0).joinRoom("persistent-alice", "persistent-room");
		cluster.manager(1).joinRoom("persistent-bob", "persistent-room");
		Map<SendType, Integer> before0 = counts[0].snapshot();
		Map<SendType, Integer> before1 = counts[1].snapshot();

		cluster.manager(0).broadcastToRoomPersistent("persistent-room", "to the room");
		cluster.manager(1).sendToUserPersistent("persistent-alice", "to alice");
		assertThat(alice.nextJson().path("data").asString()).isEqualTo("to the room");
		assertThat(alice.nextJson().path("data").asString()).isEqualTo("to alice");
		assertThat(bob.nextJson().path("data").asString()).isEqualTo("to the room");

		await().atMost(WAIT).until(() -> counts[0].increase(before0, SendType.PERSISTENT) == 2);
		await().atMost(WAIT).until(() -> counts[1].increase(before1, SendType.PERSISTENT) == 1);
		assertThat(counts[0].increase(before0, SendType.DIRECT)).as("not as direct sends").isZero();
		assertThat(counts[1].increase(before1, SendType.DIRECT)).isZero();
	}

	@Test // #12
	void aReplayIsReportedAsUserSendsByEachInstanceHoldingTheUser() throws Exception {
		WsTestClient first = cluster.connected(0, "replay-bob");
		WsTestClient second = cluster.connected(1, "replay-bob");
		for (int n = 1; n <= 3; n++) {
			cluster.manager(0).sendToUserPersistent("replay-bob", "entry " + n);
		}
		for (WsTestClient client : new WsTestClient[] { first, second }) {
			for (int n = 1; n <= 3; n++) {
				assertThat(client.nextJson().path("data").asString()).isEqualTo("entry " + n);
			}
		}
		Map<SendType, Integer> before0 = counts[0].snapshot();
		Map<SendType, Integer> before1 = counts[1].snapshot();

		assertThat(cluster.manager(0).replayMessagesToUser("replay-bob", "user:replay-bob", "0")).isEqualTo(3);
		for (WsTestClient client : new WsTestClient[] { first, second }) {
			for (int n = 1; n <= 3; n++) {
				assertThat(client.nextJson().path("type").asString()).isEqualTo("replay");
			}
		}
		await().atMost(WAIT).until(() -> counts[0].increase(before0, SendType.USER) == 3);
		await().atMost(WAIT).until(() -> counts[1].increase(before1, SendType.USER) == 3);
	}

	/** Counts the connections reported per send type. */
	private static final class Counts implements SendListener {

		private final Map<SendType, AtomicInteger> connections = new ConcurrentHashMap<>();

		@Override
		public void onSend(SendType type, int connections) {
			this.connections.computeIfAbsent(type, (key) -> new AtomicInteger()).addAndGet(connections);
		}

		Map<SendType, Integer> snapshot() {
			Map<SendType, Integer> snapshot = new ConcurrentHashMap<>();
			this.connections.forEach((type, count) -> snapshot.put(type, count.get()));
			return snapshot;
		}

		int increase(Map<SendType, Integer> before, SendType type) {
			AtomicInteger now = this.connections.get(type);
			return ((now != null) ? now.get() : 0) - before.getOrDefault(type, 0);
		}

	}

}
