package dev.wsinfra.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumer groups on a real Redis: each task done once and acknowledged, failures
 * delivered again, a consumer killed mid-task taken over, a poison task dead-lettered.
 * Run on a standalone Redis ({@link StandaloneRedisConsumerManagerIntegrationTests}) and
 * on a Redis Cluster ({@link ClusterRedisConsumerManagerIntegrationTests}).
 */
abstract class RedisConsumerManagerIntegrationTests {

	// Long enough that a busy handler on a loaded machine is not taken for a dead one
	private static final Duration CLAIM_IDLE = Duration.ofSeconds(1);

	static final Duration WAIT = Duration.ofSeconds(20);

	private final List<RedisConsumerManager> managers = new ArrayList<>();

	private final List<Thread> loops = new ArrayList<>();

	// No hash tag: each test's streams land in a slot of their own, on any master.
	final String stream = "tasks-" + UUID.randomUUID();

	private AbstractRedisClient client;

	/** Returns a new client of the topology under test. */
	abstract AbstractRedisClient newClient();

	/** Sets a configuration parameter on every node of the topology under test. */
	abstract void configSet(String parameter, String value) throws Exception;

	@BeforeEach
	void createClient() throws Exception {
		this.client = newClient();
		// Trimming with ~ removes whole nodes: small nodes make it visible with
		// few tasks.
		configSet("stream-node-max-entries", "10");
	}

	/** Runs commands on a connection of their own, routed by key on a cluster. */
	<T> T redis(Function<RedisClusterCommands<String, String>, T> commands) {
		if (this.client instanceof RedisClusterClient clusterClient) {
			try (var connection = clusterClient.connect()) {
				return commands.apply(connection.sync());
			}
		}
		try (var connection = ((RedisClient) this.client).connect()) {
			return commands.apply(connection.sync());
		}
	}

	private long length(String stream) {
		return redis((commands) -> commands.xlen(stream));
	}

	@AfterEach
	void stopConsumers() throws InterruptedException {
		this.managers.forEach(RedisConsumerManager::close);
		for (Thread loop : this.loops) {
			loop.interrupt();
			loop.join(TimeUnit.SECONDS.toMillis(10));
		}
		this.client.shutdown();
	}

	RedisConsumerManager manager(String consumer, int maxDeliveries) {
		return manager(builder(consumer, maxDeliveries));
	}

	RedisConsumerManager.Builder builder(String consumer, int maxDeliveries) {
		return RedisConsumerManager.builder(this.client)
			.stream(this.stream)
			.group("workers")
			.consumerName(consumer)
			.claimIdleTime(CLAIM_IDLE)
			.blockTimeout(Duration.ofMillis(200))
			.maxDeliveries(maxDeliveries);
	}

	RedisConsumerManager manager(RedisConsumerManager.Builder builder) {
		RedisConsumerManager manager = builder.build();
		manager.start();
		this.managers.add(manager);
		return manager;
	}

	Thread process(RedisConsumerManager manager, TaskHandler handler) {
		Thread loop = new Thread(() -> manager.processTasks(handler), "consumer-" + manager.consumerName());
		loop.setDaemon(true);
		loop.start();
		this.loops.add(loop);
		return loop;
	}

	@Test
	void everyTaskIsDoneOnceAndAcknowledged() {
		RedisConsumerManager producer = manager("a", 5);
		RedisConsumerManager other = manager("b", 5);
		Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
		TaskHandler handler = (task) -> handled
			.computeIfAbsent(task.payload().path("n").asString(), (key) -> new AtomicInteger())
			.incrementAndGet();
		process(producer, handler);
		process(other, handler);

		for (int n = 0; n < 40; n++) {
			producer.addTask(Map.of("n", Integer.toString(n)));
		}

		await().atMost(WAIT).until(() -> handled.size() == 40);
		await().atMost(WAIT).until(() -> producer.pendingCount() == 0);
		assertThat(handled.values()).allSatisfy((count) -> assertThat(count.get()).isOne());
		assertThat(producer.processedCount() + other.processedCount()).isEqualTo(40);
	}

	@Test
	void aFailedTaskIsDeliveredAgain() {
		RedisConsumerManager manager = manager("flaky", 5);
		Queue<Long> deliveries = new ConcurrentLinkedQueue<>();
		process(manager, (task) -> {
			deliveries.add(task.deliveryCount());
			if (task.deliveryCount() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		});

		manager.addTask("retry me");

		await().atMost(WAIT).until(() -> manager.processedCount() == 1);
		assertThat(deliveries).containsExactly(1L, 2L);
		assertThat(manager.failedCount()).isOne();
		assertThat(manager.pendingCount()).isZero();
	}

	@Test
	void aTaskLeftByAConsumerKilledMidTaskIsClaimedAndDoneByAnother() throws Exception {
		RedisConsumerManager doomed = manager("doomed", 5);
		CountDownLatch started = new CountDownLatch(1);
		Thread doomedLoop = process(doomed, (task) -> {
			started.countDown();
			new CountDownLatch(1).await();
		});
		String id = doomed.addTask(Map.of("job", "long"));
		assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		doomedLoop.interrupt();
		doomedLoop.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(doomed.pendingCount()).isOne();

		RedisConsumerManager rescuer = manager("rescuer", 5);
		Queue<RedisTask> done = new ConcurrentLinkedQueue<>();
		process(rescuer, done::add);

		await().atMost(WAIT).until(() -> done.size() == 1);
		RedisTask task = done.peek();
		assertThat(task.id()).isEqualTo(id);
		assertThat(task.payload().path("job").asString()).isEqualTo("long");
		assertThat(task.deliveryCount()).isEqualTo(2);
		await().atMost(WAIT).until(() -> rescuer.pendingCount() == 0);
	}

	@Test
	void aPoisonTaskEndsInTheDeadLetterStreamAfterTheMaximumDeliveries() {
		RedisConsumerManager manager = manager("poisoned", 3);
		AtomicInteger poisonAttempts = new AtomicInteger();
		Set<String> done = ConcurrentHashMap.newKeySet();
		process(manager, (task) -> {
			if (task.payload().path("poison").asBoolean()) {
				poisonAttempts.incrementAndGet();
				throw new IllegalArgumentException("cannot handle this one");
			}
			done.add(task.id());
		});

		String poison = manager.addTask(Map.of("poison", true));
		String fine = manager.addTask(Map.of("poison", false));

		await().atMost(WAIT).until(() -> manager.deadLetteredCount() == 1);
		assertThat(done).containsExactly(fine);
		assertThat(poisonAttempts.get()).isEqualTo(3);
		List<RedisTask> deadLetters = manager.deadLetters(10);
		assertThat(deadLetters).hasSize(1);
		assertThat(deadLetters.get(0).id()).isEqualTo(poison);
		assertThat(deadLetters.get(0).deliveryCount()).isEqualTo(3);
		assertThat(deadLetters.get(0).payload().path("poison").asBoolean()).isTrue();
		assertThat(manager.deadLetterStream()).isEqualTo("{" + this.stream + "}:dead");
		assertThat(manager.pendingCount()).isZero();
	}

	@Test // #5
	void doneTasksAreDeletedFromTheStream() {
		RedisConsumerManager manager = manager("deleter", 5);
		Set<String> done = ConcurrentHashMap.newKeySet();
		process(manager, (task) -> done.add(task.id()));

		for (int n = 0; n < 30; n++) {
			manager.addTask(Map.of("n", n));
		}

		await().atMost(WAIT).until(() -> done.size() == 30);
		await().atMost(WAIT).until(() -> length(this.stream) == 0);
		assertThat(manager.pendingCount()).isZero();
	}

	@Test
	void tasksAreKeptWhenOtherGroupsReadTheStream() {
		RedisConsumerManager manager = manager(builder("keeper", 5).deleteAcknowledged(false));
		Set<String> done = ConcurrentHashMap.newKeySet();
		process(manager, (task) -> done.add(task.id()));

		manager.addTask("kept");

		await().atMost(WAIT).until(() -> done.size() == 1 && manager.pendingCount() == 0);
		assertThat(length(this.stream)).isOne();
	}

	@Test // #5
	void theTaskStreamIsTrimmedToAboutItsMaximumLength() {
		RedisConsumerManager producer = manager(builder("producer", 5).maxLength(50));

		for (int n = 0; n < 500; n++) {
			producer.addTask(Map.of("n", n));
		}

		assertThat(length(this.stream)).isBetween(50L, 60L);
	}

	@Test // #5
	void theDeadLetterStreamIsTrimmedAndDeadTasksLeaveTheTaskStream() {
		RedisConsumerManager manager = manager(builder("poisoned", 1).deadLetterMaxLength(20).batchSize(100));
		process(manager, (task) -> {
			throw new IllegalArgumentException("poison");
		});

		for (int n = 0; n < 150; n++) {
			manager.addTask(Map.of("n", n));
		}

		await().atMost(WAIT).until(() -> manager.deadLetteredCount() == 150);
		assertThat(length(manager.deadLetterStream())).isBetween(20L, 30L);
		assertThat(length(this.stream)).isZero();
		assertThat(manager.pendingCount()).isZero();
		assertThat(manager.deadLetters(100)).last()
			.satisfies((task) -> assertThat(task.payload().path("n").asInt()).isEqualTo(149));
	}

	@Test // #5
	void aHandlerSlowerThanTheClaimTimeKeepsItsTaskAndRunsOnce() throws Exception {
		RedisConsumerManager slow = manager("slow", 5);
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Queue<RedisTask> slowRuns = new ConcurrentLinkedQueue<>();
		process(slow, (task) -> {
			slowRuns.add(task);
			started.countDown();
			release.await();
		});
		slow.addTask("takes long");
		assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		RedisConsumerManager other = manager("other", 5);
		Queue<RedisTask> otherRuns = new ConcurrentLinkedQueue<>();
		process(other, otherRuns::add);

		// Several claim times pass while the handler runs: nobody else takes the task.
		await().during(CLAIM_IDLE.multipliedBy(5)).atMost(WAIT).until(otherRuns::isEmpty);
		release.countDown();

		await().atMost(WAIT).until(() -> slow.processedCount() == 1);
		assertThat(slowRuns).hasSize(1);
		assertThat(slowRuns.peek().deliveryCount()).isOne();
		assertThat(otherRuns).isEmpty();
		assertThat(slow.pendingCount()).isZero();
	}

	@Test // #13
	void theRestOfABatchStaysOwnedWhileItsFirstTaskRuns() throws Exception {
		RedisConsumerManager slow = manager("batcher", 5);
		// Added before the loop starts, so that its first read fetches all three.
		for (int n = 0; n < 3; n++) {
			slow.addTask(Map.of("n", n));
		}
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		process(slow, (task) -> {
			runs.computeIfAbsent(task.id(), (id) -> new AtomicInteger()).incrementAndGet();
			if (task.payload().path("n").asInt() == 0) {
				started.countDown();
				release.await();
			}
		});
		assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		RedisConsumerManager other = manager("other", 5);
		Queue<RedisTask> otherRuns = new ConcurrentLinkedQueue<>();
		process(other, otherRuns::add);

		// Several claim times pass while the first task runs: the two waiting behind it
		// in the same batch are not taken either.
		await().during(CLAIM_IDLE.multipliedBy(5)).atMost(WAIT).until(otherRuns::isEmpty);
		release.countDown();

		await().atMost(WAIT).until(() -> slow.processedCount() == 3);
		assertThat(runs).hasSize(3);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count.get()).isOne());
		assertThat(otherRuns).isEmpty();
		assertThat(slow.pendingCount()).isZero();
	}

	@Test
	void aStreamLostWithRedisDataIsCreatedAgain() {
		RedisConsumerManager manager = manager("survivor", 5);
		Queue<String> done = new ConcurrentLinkedQueue<>();
		process(manager, (task) -> done.add(task.payload().asString()));
		manager.addTask("before");
		await().atMost(WAIT).until(() -> done.contains("before"));

		redis((commands) -> commands.del(this.stream));
		await().atMost(WAIT).untilAsserted(() -> {
			manager.addTask("after");
			assertThat(done).contains("after");
		});
	}

}
