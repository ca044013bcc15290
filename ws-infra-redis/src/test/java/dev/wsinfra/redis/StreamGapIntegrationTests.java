package dev.wsinfra.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.server.SendType;
import dev.wsinfra.test.WsTestClient;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance that misses messages from Redis, because it dropped them under load or its
 * pub/sub connection dropped, repairs what it can: persistent streams from each
 * connection's position, so that a client still gets every entry once and in order, and
 * rooms from Redis.
 */
class StreamGapIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int QUEUE_LIMIT = 5;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final String HOLDER = "gap-holder";

	// The latches of the next hold: reached, then released.
	private static final AtomicReference<CountDownLatch[]> nextHold = new AtomicReference<>();

	private static Cluster cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		cluster = Cluster.start(redis, 2, "ws.redis.inbound-queue-limit=" + QUEUE_LIMIT);
		cluster.connected(1, HOLDER);
		// Instance 1 delivers a plain message from instance 0 on the thread that takes
		// what arrives from Redis; a send listener that waits there holds that thread up.
		cluster.manager(1).onSend((type, connections) -> {
			CountDownLatch[] hold = (type == SendType.USER) ? nextHold.getAndSet(null) : null;
			if (hold != null) {
				hold[0].countDown();
				try {
					hold[1].await(WAIT.toSeconds(), TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	/**
	 * Holds up instance 1's delivery of what arrives from Redis until the latch opens.
	 */
	private static void holdUpInstance1(CountDownLatch release) throws InterruptedException {
		CountDownLatch held = new CountDownLatch(1);
		nextHold.set(new CountDownLatch[] { held, release });
		cluster.manager(0).sendToUser(HOLDER, "hold");
		assertThat(held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	private static List<Integer> read(WsTestClient client, int frames) throws InterruptedException {
		List<Integer> numbers = new ArrayList<>();
		for (int i = 0; i < frames; i++) {
			numbers.add(client.nextJson().path("data").path("n").asInt());
		}
		return numbers;
	}

	private static List<Integer> range(int first, int last) {
		List<Integer> numbers = new ArrayList<>();
		for (int n = first; n <= last; n++) {
			numbers.add(n);
		}
		return numbers;
	}

	@Test // #5
	void entriesDroppedUnderLoadStillReachTheClientOnceAndInOrder() throws Exception {
		WsTestClient client = cluster.connected(1, "drop-u");
		cluster.manager(0).sendToUserPersistent("drop-u", Map.of("n", 1));
		assertThat(read(client, 1)).containsExactly(1);
		long droppedBefore = cluster.manager(1).droppedMessageCount();
		CountDownLatch release = new CountDownLatch(1);
		holdUpInstance1(release);

		// 2 to 6 wait in the queue, 7 to 20 are dropped.
		for (int n = 2; n <= 20; n++) {
			cluster.manager(0).sendToUserPersistent("drop-u", Map.of("n", n));
		}
		await().atMost(WAIT).until(() -> cluster.manager(1).droppedMessageCount() - droppedBefore >= 14);
		release.countDown();
		cluster.manager(0).sendToUserPersistent("drop-u", Map.of("n", 21));

		assertThat(read(client, 20)).containsExactlyElementsOf(range(2, 21));
		cluster.manager(0).sendToUserPersistent("drop-u", Map.of("n", 22));
		assertThat(read(client, 1)).containsExactly(22);
		// At least: 21 too may find the queue still full, and be repaired like
		// the others.
		assertThat(cluster.manager(1).droppedMessageCount() - droppedBefore).isGreaterThanOrEqualTo(14);
	}

	@Test // #5
	void aJoinNoticeDroppedUnderLoadIsRepairedFromRedis() throws Exception {
		WsTestClient client = cluster.connected(1, "drop-r");
		long droppedBefore = cluster.manager(1).droppedMessageCount();
		CountDownLatch release = new CountDownLatch(1);
		holdUpInstance1(release);
		for (int i = 0; i < QUEUE_LIMIT; i++) {
			cluster.manager(0).sendToUser("drop-r", "filler");
		}

		// Instance 1 drops the join notice, so the join waits for its acknowledgement
		// in vain.
		assertThat(cluster.manager(0).joinRoom("drop-r", "drop-room")).isTrue();
		assertThat(cluster.manager(1).droppedMessageCount()).isGreaterThan(droppedBefore);
		release.countDown();

		String channel = cluster.keys().roomChannel("drop-room");
		await().atMost(WAIT).until(() -> cluster.redis().pubsubNumsub(channel).get(channel) == 1L);
		assertThat(cluster.manager(1).getRoomUsers("drop-room")).containsExactly("drop-r");
		cluster.manager(0).broadcastToRoom("drop-room", "hello");
		client.assertNextTexts("filler", "filler", "filler", "filler", "filler", "hello");
	}

	@Test // #5
	void entriesPublishedWhileThePubSubConnectionReconnectsStillReachTheClient() throws Exception {
		WsTestClient client = cluster.connected(1, "cut-u");
		cluster.manager(0).sendToUserPersistent("cut-u", Map.of("n", 1));
		assertThat(read(client, 1)).containsExactly(1);

		cluster.redis().clientKill(KillArgs.Builder.id(pubSubConnectionId("i1")));
		for (int n = 2; n <= 10; n++) {
			cluster.manager(0).sendToUserPersistent("cut-u", Map.of("n", n));
		}

		assertThat(read(client, 9)).containsExactlyElementsOf(range(2, 10));
		cluster.manager(0).sendToUserPersistent("cut-u", Map.of("n", 11));
		assertThat(read(client, 1)).containsExactly(11);
	}

	@Test // #13
	void aRoomTheUserLeftIsNotRepairedAfterAGap() throws Exception {
		WsTestClient client = cluster.connected(1, "left-u");
		// The user's stream has a position to repair from, the room's too.
		cluster.manager(0).sendToUserPersistent("left-u", Map.of("n", 0));
		cluster.manager(0).joinRoom("left-u", "left-room");
		cluster.manager(0).broadcastToRoomPersistent("left-room", Map.of("n", 1));
		assertThat(read(client, 2)).containsExactly(0, 1);
		cluster.manager(0).leaveRoom("left-u", "left-room");
		await().atMost(WAIT).until(() -> cluster.manager(1).getRoomUsers("left-room").isEmpty());
		long failedBefore = cluster.manager(1).failedRecoveryCount();

		// Two gaps, each repaired on the one scheduler thread: by the time the entry
		// sent after the second reaches the client, the first repair is over.
		for (int n = 2; n <= 3; n++) {
			long pubSub = await().atMost(WAIT).ignoreExceptions().until(() -> pubSubConnectionId("i1"), (id) -> true);
			cluster.redis().clientKill(KillArgs.Builder.id(pubSub));
			cluster.manager(0).sendToUserPersistent("left-u", Map.of("n", n));
			JsonNode frame = client.nextJson();
			assertThat(frame.path("type").asString()).as(frame.toString()).isEqualTo("message");
			assertThat(frame.path("data").path("n").asInt()).isEqualTo(n);
		}
		assertThat(cluster.manager(1).failedRecoveryCount()).isEqualTo(failedBefore);
	}

	private static long pubSubConnectionId(String instance) {
		Pattern line = Pattern.compile("id=(\\d+) .*\\bname=" + instance + " .*\\bsub=([1-9]\\d*) ");
		for (String client : cluster.redis().clientList().split("\n")) {
			Matcher matcher = line.matcher(client);
			if (matcher.find()) {
				return Long.parseLong(matcher.group(1));
			}
		}
		throw new IllegalStateException("No pub/sub connection of " + instance + " in " + cluster.redis().clientList());
	}

}
