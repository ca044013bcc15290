package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.wsinfra.redis.testsupport.RedisCluster;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sharded subscriptions on a real cluster of three masters and three replicas: delivery
 * at the owner of each channel's slot, through a killed master, its return as a replica
 * and a slot migration.
 */
class ShardedChannelSubscriptionsIntegrationTests {

	private static final Duration RESUME_LIMIT = Duration.ofSeconds(15);

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private ClusterInstance instance;

	private ShardedChannelSubscriptions subscriptions;

	private ShardedPublisher publisher;

	@BeforeEach
	void connect() {
		redis.awaitHealthy();
		this.instance = new ClusterInstance(redis, new ClusterKeyLayout("ws:", 1).broadcastChannels(),
				ShardedInbound.DEFAULT_REORDER_WAIT);
		this.subscriptions = this.instance.subscriptions;
		this.publisher = this.instance.publisher;
	}

	@AfterEach
	void close() {
		this.instance.close();
	}

	@Test // #13
	void eachChannelReceivesItsMessagesOnceAndInOrderFromTheOwnerOfItsSlot() throws Exception {
		List<String> channels = new ArrayList<>();
		for (RedisCluster.Node master : redis.masters()) {
			channels.add(channelOn(master, "a-"));
			channels.add(channelOn(master, "b-"));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> CompletableFuture
				.allOf(channels.stream().map(this.subscriptions::acquire).toArray(CompletableFuture[]::new))
				.isDone());
		for (long n = 0; n < 100; n++) {
			for (String channel : channels) {
				this.publisher.publish(channel, Long.toString(n));
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> channels.stream().allMatch((channel) -> received(channel).size() >= 100));
		for (String channel : channels) {
			assertThat(received(channel))
				.containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(Long::valueOf).toList());
			assertThat(this.subscriptions.confirmedNode(channel))
				.isEqualTo("127.0.0.1:" + redis.masterOf(SlotHash.getSlot(channel)).port());
		}
		assertThat(this.subscriptions.channels()).containsExactlyInAnyOrderElementsOf(channels);
		assertThat(this.subscriptions.allConfirmed()).isTrue();
		assertThat(this.instance.gaps).isEmpty();
	}

	@Test // #13
	void aChannelIsUnsubscribedWithItsLastReference() throws Exception {
		String released = "{refs}released";
		String marker = "{refs}marker";
		int owner = redis.masterOf(SlotHash.getSlot(marker)).port();
		this.subscriptions.acquire(released);
		this.subscriptions.acquire(released).get(10, TimeUnit.SECONDS);
		this.subscriptions.acquire(marker).get(10, TimeUnit.SECONDS);
		this.subscriptions.release(released);
		this.subscriptions.release("never-held");
		assertThat(this.subscriptions.confirmation("never-held")).isCompleted();
		this.publisher.publish(released, "1").get(5, TimeUnit.SECONDS);
		this.publisher.publish(marker, "1").get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> received(marker).size() == 1);
		assertThat(received(released)).containsExactly(1L);
		this.subscriptions.release(released);
		await().atMost(Duration.ofSeconds(5)).until(() -> shardSubscribers(owner, released) == 0);
		this.publisher.publish(released, "2").get(5, TimeUnit.SECONDS);
		this.publisher.publish(marker, "2").get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> received(marker).size() == 2);
		assertThat(received(released)).containsExactly(1L);
		assertThat(this.subscriptions.channels()).containsExactly(marker);
	}

	@Test // #13
	void resubscribingEverythingKeepsEachMessageOnce() throws Exception {
		String channel = channelOn(redis.masters().get(1), "again-");
		this.subscriptions.acquire(channel).get(10, TimeUnit.SECONDS);
		this.publisher.publish(channel, "1").get(5, TimeUnit.SECONDS);
		this.subscriptions.resubscribeAll().get(10, TimeUnit.SECONDS);
		this.publisher.publish(channel, "2").get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> received(channel).size() >= 2);
		assertThat(received(channel)).containsExactly(1L, 2L);
		assertThat(this.instance.sequences(channel)).hasSize(2);
		assertThat(this.instance.gaps).isEmpty();
	}

	@Test // #13
	void aKilledMastersChannelResumesAtThePromotedReplicaAndItsReturnDeliversNothingTwice() throws Exception {
		RedisCluster.Node victim = redis.masters().get(0);
		String doomed = channelOn(victim, "doomed-");
		String survivor = channelOn(redis.masters().get(1), "survivor-");
		this.subscriptions.acquire(doomed).get(10, TimeUnit.SECONDS);
		this.subscriptions.acquire(survivor).get(10, TimeUnit.SECONDS);
		List<Integer> staleSubscriptions = new CopyOnWriteArrayList<>();
		this.instance.pubSub.addListener(new RedisClusterPubSubAdapter<>() {

			@Override
			public void ssubscribed(RedisClusterNode node, String channel, long count) {
				if (node != null && node.getUri().getPort() == victim.port()) {
					staleSubscriptions.add(node.getUri().getPort());
				}
			}

		});
		try (NumberedPublisher numbers = NumberedPublisher.toChannels(this.publisher, doomed, survivor)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> received(doomed).size() > 10);
			long lastBeforeKill = numbers.next() - 1;
			long killedAt = System.nanoTime();
			redis.kill(victim.port());
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> received(doomed).stream().anyMatch((n) -> n > lastBeforeKill));
			Duration resumed = Duration.ofNanos(System.nanoTime() - killedAt);
			System.out.println("Delivery on the killed master's channel resumed after " + resumed.toMillis() + " ms");
			assertThat(resumed).isLessThanOrEqualTo(RESUME_LIMIT);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.instance.gaps.stream().anyMatch((g) -> g.contains(doomed)));
			int promoted = redis.masterOf(SlotHash.getSlot(doomed)).port();
			assertThat(promoted).isNotEqualTo(victim.port());
			assertThat(this.subscriptions.confirmedNode(doomed)).isEqualTo("127.0.0.1:" + promoted);
			assertThat(this.subscriptions.allConfirmed()).isTrue();
			assertThat(numbers.slowestFailure()).as("a publish to the dead master failed in time")
				.isPositive()
				.isLessThan(ClusterInstance.TIMEOUT.plusSeconds(1).toNanos());

			redis.restart(victim.port());
			redis.awaitHealthy();
			await().atMost(Duration.ofSeconds(30)).until(() -> !staleSubscriptions.isEmpty());
			long afterReturn = numbers.next();
			await().atMost(Duration.ofSeconds(10)).until(() -> numbers.next() > afterReturn + 50);
			await().atMost(Duration.ofSeconds(10)).until(() -> shardSubscribers(victim.port(), doomed) == 0);
			numbers.stop();
			long last = numbers.next() - 1;
			await().atMost(Duration.ofSeconds(10))
				.until(() -> received(doomed).contains(last) && received(survivor).contains(last));
			assertThat(this.instance.sequences(doomed)).doesNotHaveDuplicates();
			assertThat(received(doomed)).doesNotHaveDuplicates().isSorted();
			assertThat(received(doomed)).containsAll(range(afterReturn, last));
			assertThat(received(survivor)).containsExactlyElementsOf(range(0, last));
			System.out.println("Messages dropped from a node that does not own the channel: "
					+ this.subscriptions.rejectedMessages() + "; re-sent late and dropped: "
					+ this.instance.inbound.droppedOutOfOrder());
		}
	}

	@Test // #13
	void aMigratedSlotsChannelIsSubscribedAgainAtItsNewOwner() throws Exception {
		List<RedisCluster.Node> masters = redis.masters();
		String moving = channelOn(masters.get(2), "moving-");
		RedisCluster.Node target = masters.get(1);
		this.subscriptions.acquire(moving).get(10, TimeUnit.SECONDS);
		try (NumberedPublisher numbers = NumberedPublisher.toChannels(this.publisher, moving)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> received(moving).size() > 10);
			long movedAt = System.nanoTime();
			redis.moveSlot(SlotHash.getSlot(moving), target.id());
			await().atMost(RESUME_LIMIT)
				.until(() -> ("127.0.0.1:" + target.port()).equals(this.subscriptions.confirmedNode(moving)));
			long afterMove = numbers.next();
			await().atMost(Duration.ofSeconds(10)).until(() -> received(moving).contains(afterMove));
			System.out.println("Subscription re-established at the slot's new owner after "
					+ Duration.ofNanos(System.nanoTime() - movedAt).toMillis() + " ms");
			assertThat(this.instance.gaps).anyMatch((gap) -> gap.contains(moving));
			assertThat(shardSubscribers(target.port(), moving)).isEqualTo(1);
			numbers.stop();
			long last = numbers.next() - 1;
			await().atMost(Duration.ofSeconds(10)).until(() -> received(moving).contains(last));
			assertThat(this.instance.sequences(moving)).doesNotHaveDuplicates();
			assertThat(received(moving)).doesNotHaveDuplicates().isSorted().containsAll(range(afterMove, last));
		}
	}

	private List<Long> received(String channel) {
		return this.instance.received(channel);
	}

	private static List<Long> range(long first, long last) {
		List<Long> range = new ArrayList<>();
		for (long n = first; n <= last; n++) {
			range.add(n);
		}
		return range;
	}

	/** A channel name whose slot the master serves. */
	private static String channelOn(RedisCluster.Node master, String prefix) {
		for (int i = 0; i < 100_000; i++) {
			if (master.serves(SlotHash.getSlot(prefix + i))) {
				return prefix + i;
			}
		}
		throw new IllegalStateException("No channel found on " + master);
	}

	private static long shardSubscribers(int port, String channel) throws Exception {
		String[] reply = redis.command(port, "PUBSUB", "SHARDNUMSUB", channel).trim().split("\n");
		return Long.parseLong(reply[reply.length - 1].trim());
	}

}
