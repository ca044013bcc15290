package dev.wsinfra.redis.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bookkeeping of sharded subscriptions: where each channel counts, what to subscribe
 * and unsubscribe where, and which gaps to report.
 */
class ShardedChannelsTests {

	private final ShardedChannels channels = new ShardedChannels();

	private final Map<Integer, String> owners = new HashMap<>();

	private final IntFunction<String> owner = this.owners::get;

	private void own(String channel, String node) {
		this.owners.put(SlotHash.getSlot(channel), node);
	}

	private ShardedChannels.Attempt confirmOnly(ShardedChannels.Plan plan) {
		assertThat(plan.subscribe()).hasSize(1);
		ShardedChannels.Attempt attempt = plan.subscribe().iterator().next();
		this.channels.confirmed(attempt).forEach((confirmation) -> confirmation.complete(null));
		return attempt;
	}

	@Test // #13
	void theFirstReferencePlansOneSubscribePerNodeAndSlot() {
		own("{a}x", "n1");
		own("{b}z", "n2");
		assertThat(this.channels.acquire("{a}x").first()).isTrue();
		assertThat(this.channels.acquire("{a}x").first()).isFalse();
		this.channels.acquire("{a}y");
		this.channels.acquire("{b}z");
		ShardedChannels.Plan plan = this.channels.plan(false, this.owner);
		assertThat(plan.unsubscribe()).isEmpty();
		assertThat(plan.subscribe()).extracting((attempt) -> attempt.node + "=" + String.join(",", attempt.names()))
			.containsExactlyInAnyOrder("n1={a}x,{a}y", "n2={b}z");
		assertThat(this.channels.plan(true, this.owner).subscribe()).as("attempts under way").isEmpty();
	}

	@Test // #13
	void aConfirmedChannelCountsMessagesOnlyFromItsNode() {
		own("c", "n1");
		CompletableFuture<Void> confirmation = this.channels.acquire("c").confirmed();
		assertThat(this.channels.accepts("n1", "c")).isFalse();
		confirmOnly(this.channels.plan(false, this.owner));
		assertThat(confirmation).isCompleted();
		assertThat(this.channels.accepts("n1", "c")).isTrue();
		assertThat(this.channels.accepts("n2", "c")).isFalse();
		assertThat(this.channels.allConfirmed()).isTrue();
		assertThat(this.channels.takeRecovered()).isEmpty();
		assertThat(this.channels.plan(true, this.owner).subscribe()).isEmpty();
	}

	@Test // #13
	void aChannelWhoseSlotChangedOwnerMovesAndReportsTheGapOnceConfirmed() {
		own("c", "n1");
		this.channels.acquire("c");
		confirmOnly(this.channels.plan(false, this.owner));
		own("c", "n2");
		ShardedChannels.Plan move = this.channels.plan(true, this.owner);
		assertThat(move.unsubscribe()).containsExactly(new ShardedChannels.Unsubscription("n1", "c"));
		assertThat(this.channels.accepts("n1", "c")).isFalse();
		assertThat(this.channels.confirmation("c")).isNotDone();
		assertThat(this.channels.allConfirmed()).isFalse();
		ShardedChannels.Attempt attempt = confirmOnly(move);
		assertThat(attempt.node).isEqualTo("n2");
		assertThat(this.channels.confirmation("c")).isCompleted();
		assertThat(this.channels.accepts("n2", "c")).isTrue();
		assertThat(this.channels.takeRecovered()).containsExactly("c");
		assertThat(this.channels.takeRecovered()).isEmpty();
	}

	@Test // #13
	void aDroppedNodeConnectionLosesOnlyItsChannels() {
		own("{a}c", "n1");
		own("{b}c", "n2");
		this.channels.acquire("{a}c");
		this.channels.acquire("{b}c");
		this.channels.plan(false, this.owner)
			.subscribe()
			.forEach((attempt) -> this.channels.confirmed(attempt).forEach((c) -> c.complete(null)));
		assertThat(this.channels.disconnected("n1")).isTrue();
		assertThat(this.channels.disconnected("n3")).isFalse();
		assertThat(this.channels.accepts("n1", "{a}c")).isFalse();
		assertThat(this.channels.accepts("n2", "{b}c")).isTrue();
		ShardedChannels.Attempt again = confirmOnly(this.channels.plan(false, this.owner));
		assertThat(again.names()).containsExactly("{a}c");
		assertThat(this.channels.takeRecovered()).containsExactly("{a}c");
	}

	@Test // #13
	void anUnsubscribeFromTheConfirmedNodeLosesTheChannelAndOneFromElsewhereDoesNot() {
		own("c", "n1");
		this.channels.acquire("c");
		confirmOnly(this.channels.plan(false, this.owner));
		assertThat(this.channels.unsubscribed("n2", "c")).isFalse();
		assertThat(this.channels.unsubscribed("n1", "other")).isFalse();
		assertThat(this.channels.accepts("n1", "c")).isTrue();
		assertThat(this.channels.unsubscribed("n1", "c")).isTrue();
		assertThat(this.channels.accepts("n1", "c")).isFalse();
		assertThat(this.channels.plan(false, this.owner).subscribe()).hasSize(1);
	}

	@Test // #13
	void aSubscriptionOnANodeThatIsNoneOfOursIsUnsubscribedThere() {
		own("c", "n1");
		this.channels.acquire("c");
		ShardedChannels.Plan plan = this.channels.plan(false, this.owner);
		assertThat(this.channels.subscribed("n1", "c", "n1")).as("the attempt's own reply").isFalse();
		confirmOnly(plan);
		assertThat(this.channels.subscribed("n3", "c", "n1")).as("a returned master, now a replica").isTrue();
		assertThat(this.channels.subscribed("n3", "not-held", null)).isTrue();
		assertThat(this.channels.plan(false, this.owner).unsubscribe()).containsExactly(
				new ShardedChannels.Unsubscription("n3", "c"), new ShardedChannels.Unsubscription("n3", "not-held"));
	}

	@Test // #13
	void theLastReleasePlansUnsubscribesWhereverTheChannelMayBeAndCancelsItsConfirmation() {
		own("c", "n1");
		this.channels.acquire("c");
		this.channels.acquire("c");
		confirmOnly(this.channels.plan(false, this.owner));
		own("c", "n2");
		ShardedChannels.Plan move = this.channels.plan(true, this.owner);
		CompletableFuture<Void> pending = this.channels.confirmation("c");
		assertThat(this.channels.release("c")).isFalse();
		assertThat(this.channels.release("c")).isTrue();
		assertThat(this.channels.release("c")).isFalse();
		assertThat(pending).isCancelled();
		assertThat(this.channels.plan(false, this.owner).unsubscribe())
			.containsExactly(new ShardedChannels.Unsubscription("n2", "c"));
		assertThat(this.channels.confirmed(move.subscribe().iterator().next())).as("a late reply").isEmpty();
		assertThat(this.channels.names()).isEmpty();
		assertThat(this.channels.confirmation("c")).isCompleted();
	}

	@Test // #13
	void theReplyToAReleasedChannelsAttemptDoesNotConfirmItsNextAcquisition() {
		own("c", "n1");
		this.channels.acquire("c");
		ShardedChannels.Plan first = this.channels.plan(false, this.owner);
		this.channels.release("c");
		CompletableFuture<Void> again = this.channels.acquire("c").confirmed();
		this.channels.confirmed(first.subscribe().iterator().next());
		assertThat(again).isNotDone();
		assertThat(this.channels.accepts("n1", "c")).isFalse();
		ShardedChannels.Plan second = this.channels.plan(false, this.owner);
		assertThat(second.unsubscribe()).containsExactly(new ShardedChannels.Unsubscription("n1", "c"));
		confirmOnly(second);
		assertThat(again).isCompleted();
	}

	@Test // #13
	void aFailedAttemptIsTriedAgainAndASlotWithoutOwnerWaits() {
		own("c", "n1");
		this.channels.acquire("c");
		this.channels.acquire("orphan");
		ShardedChannels.Plan plan = this.channels.plan(false, this.owner);
		assertThat(plan.waiting()).isTrue();
		this.channels.failed(plan.subscribe().iterator().next());
		ShardedChannels.Plan retry = this.channels.plan(false, this.owner);
		assertThat(retry.subscribe()).extracting((attempt) -> List.of(attempt.names())).containsExactly(List.of("c"));
		assertThat(retry.waiting()).isTrue();
		own("orphan", "n2");
		assertThat(this.channels.plan(false, this.owner).subscribe()).hasSize(1);
	}

	@Test // #13
	void forcingEveryChannelSubscribesItAgainWithoutAGap() {
		own("c", "n1");
		this.channels.acquire("c");
		confirmOnly(this.channels.plan(false, this.owner));
		CompletableFuture<Void> all = this.channels.forceAll();
		assertThat(all).isNotDone();
		assertThat(this.channels.accepts("n1", "c")).isTrue();
		confirmOnly(this.channels.plan(false, this.owner));
		assertThat(all).isCompleted();
		assertThat(this.channels.takeRecovered()).isEmpty();
	}

}
