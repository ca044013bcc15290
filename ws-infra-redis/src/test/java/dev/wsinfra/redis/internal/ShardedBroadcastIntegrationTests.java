package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.wsinfra.redis.testsupport.RedisCluster;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broadcasts over partition channels on a real cluster of three masters: one instance
 * issuing every broadcast loads no master with more than 45% of the commands, and every
 * instance receives each publisher's broadcasts in order, through a killed master too.
 */
class ShardedBroadcastIntegrationTests {

	private static final int BROADCASTS = 5000;

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private final ClusterKeyLayout layout = new ClusterKeyLayout("ws:", ClusterKeyLayout.DEFAULT_PARTITIONS);

	private final List<ClusterInstance> instances = new ArrayList<>();

	@BeforeEach
	void awaitHealthy() {
		redis.awaitHealthy();
	}

	/** Starts three instances subscribed to every partition. */
	private void start(Duration reorderWait) throws Exception {
		for (int i = 0; i < 3; i++) {
			this.instances.add(new ClusterInstance(redis, this.layout.broadcastChannels(), reorderWait));
		}
		for (ClusterInstance instance : this.instances) {
			CompletableFuture
				.allOf(this.layout.broadcastChannels()
					.stream()
					.map(instance.subscriptions::acquire)
					.toArray(CompletableFuture[]::new))
				.get(20, TimeUnit.SECONDS);
		}
	}

	@AfterEach
	void stop() {
		this.instances.forEach(ClusterInstance::close);
	}

	@Test // #13
	void oneInstancesBroadcastsSpreadOverTheMastersAndArriveInOrderEverywhere() throws Exception {
		// A long wait: nothing is lost here, and on a loaded machine a partition's
		// connection can lag several hundred milliseconds behind the others.
		start(Duration.ofSeconds(5));
		ClusterInstance sender = this.instances.get(0);
		redis.resetCommandStats();
		List<CompletableFuture<Long>> pending = new ArrayList<>();
		for (long n = 0; n < BROADCASTS; n++) {
			pending.add(sender.publisher.broadcast(Long.toString(n)));
			if (pending.size() == 500) {
				CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
				pending.clear();
			}
		}
		CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		List<Long> expected = LongStream.range(0, BROADCASTS).boxed().toList();
		for (ClusterInstance instance : this.instances) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> instance.received("broadcast").size()
						+ instance.inbound.skippedBroadcasts() >= BROADCASTS);
			System.out.println("Longest wait of a broadcast for its turn: "
					+ instance.inbound.longestBroadcastWait().toMillis() + " ms");
			assertThat(instance.inbound.skippedBroadcasts()).isZero();
			assertThat(instance.inbound.droppedOutOfOrder()).isZero();
			assertThat(instance.received("broadcast")).containsExactlyElementsOf(expected);
		}
		Map<RedisCluster.Node, Long> commands = redis.commandsPerMaster();
		long total = commands.values().stream().mapToLong(Long::longValue).sum();
		System.out.println("Commands per master for " + BROADCASTS + " broadcasts: " + commands);
		assertThat(commands.values()).allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(total * 45 / 100));
		Map<Integer, Long> partitionsPerMaster = this.layout.broadcastChannels()
			.stream()
			.collect(Collectors.groupingBy((channel) -> owner(SlotHash.getSlot(channel)), Collectors.counting()));
		assertThat(partitionsPerMaster).hasSize(3)
			.allSatisfy((port, partitions) -> assertThat(partitions).isEqualTo(20));
	}

	@Test // #13
	void broadcastsKeepTheirOrderWhileAMasterFailsAndPublishesToItFailInTime() throws Exception {
		start(ShardedInbound.DEFAULT_REORDER_WAIT);
		ClusterInstance receiver = this.instances.get(1);
		RedisCluster.Node victim = redis.masters().get(0);
		try (NumberedPublisher numbers = NumberedPublisher.broadcasts(this.instances.get(0).publisher)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("broadcast").size() > 200);
			long killedAt = System.nanoTime();
			redis.kill(victim.port());
			await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.subscriptions.allConfirmed());
			await().atMost(Duration.ofSeconds(30)).until(receiver.subscriptions::allConfirmed);
			Duration resumed = Duration.ofNanos(System.nanoTime() - killedAt);
			System.out.println("Every partition confirmed again " + resumed.toMillis() + " ms after the kill");
			assertThat(resumed).isLessThan(Duration.ofSeconds(15));
			long afterResume = numbers.next();
			await().atMost(Duration.ofSeconds(10)).until(() -> numbers.next() > afterResume + 500);
			numbers.stop();
			long last = numbers.next() - 1;
			for (ClusterInstance instance : this.instances) {
				await().atMost(Duration.ofSeconds(10)).until(() -> instance.received("broadcast").contains(last));
				assertThat(instance.received("broadcast")).isSorted().doesNotHaveDuplicates();
				assertThat(instance.received("broadcast"))
					.containsAll(LongStream.rangeClosed(afterResume, last).boxed().toList());
			}
			await().atMost(ClusterInstance.TIMEOUT.plusSeconds(5)).until(() -> numbers.outstanding() == 0);
			System.out.println("Broadcasts failed during the failover: " + numbers.failed()
					+ ", skipped by a receiver: " + receiver.inbound.skippedBroadcasts() + ", dropped as late: "
					+ receiver.inbound.droppedOutOfOrder() + ", slowest failure: "
					+ Duration.ofNanos(numbers.slowestFailure()).toMillis() + " ms");
			assertThat(numbers.failed()).isPositive();
			assertThat(Duration.ofNanos(numbers.slowestFailure())).isLessThan(ClusterInstance.TIMEOUT.plusSeconds(1));
			assertThat(receiver.inbound.skippedBroadcasts()).isPositive();
		}
		finally {
			redis.restart(victim.port());
			redis.awaitHealthy();
		}
	}

	@Test // #13
	void aMalformedFrameOnAPartitionIsCountedAndDropped() throws Exception {
		start(ShardedInbound.DEFAULT_REORDER_WAIT);
		ClusterInstance sender = this.instances.get(0);
		ClusterInstance receiver = this.instances.get(1);
		String partition = this.layout.broadcastChannels().get(7);
		sender.commands.sync().spublish(partition, "not a frame");
		sender.commands.sync().spublish(partition, "x:-3:negative");
		sender.publisher.broadcast("1").get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> receiver.received("broadcast").contains(1L));
		assertThat(receiver.received("broadcast")).containsExactly(1L);
		assertThat(receiver.inbound.malformed()).isEqualTo(2);
	}

	private static int owner(int slot) {
		try {
			return redis.masterOf(slot).port();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
