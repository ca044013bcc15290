package dev.wsinfra.redis;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.wsinfra.redis.internal.StreamEntry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;

class LocalConnectionTests {

	private final List<String> sent = new ArrayList<>();

	private final WebSocketSession session = new StandardWebSocketSession(null, null, null, null);

	private static StreamEntry entry(String id) {
		return entry("e1", id);
	}

	private static StreamEntry entry(String epoch, String id) {
		return new StreamEntry("s", id, epoch, "{}", null);
	}

	private static Map.Entry<StreamEntry, @Nullable String> replay(String id, @Nullable String frame) {
		return new AbstractMap.SimpleImmutableEntry<>(entry(id), frame);
	}

	private LocalConnection connection(String... recovering) {
		return new LocalConnection("c", "u", this.session, Map.of(), Set.of(recovering), () -> 0);
	}

	@Test
	void liveEntriesAreDeliveredOnceAndInStreamOrder() {
		LocalConnection connection = connection();

		connection.offer(entry("1-0"), "one", this.sent::add);
		connection.offer(entry("2-0"), "two", this.sent::add);
		connection.offer(entry("2-0"), "two again", this.sent::add);
		connection.offer(entry("1-5"), "older", this.sent::add);

		connection.offer(entry("2-1"), "next", this.sent::add);

		assertThat(this.sent).containsExactly("one", "two", "next");
	}

	@Test
	void anEntryOfAnotherEpochIsDeliveredAndMovesTheCursor() {
		LocalConnection connection = connection();
		connection.offer(entry("e1", "9-0"), "old epoch", this.sent::add);

		connection.offer(entry("e2", "1-0"), "new epoch", this.sent::add);

		assertThat(this.sent).containsExactly("old epoch", "new epoch");
	}

	@Test
	void anExcludedEntryMovesTheCursorWithoutAFrame() {
		LocalConnection connection = connection();

		connection.offer(entry("1-0"), null, this.sent::add);
		connection.offer(entry("1-0"), "late duplicate", this.sent::add);
		connection.offer(entry("1-1"), "next", this.sent::add);

		assertThat(this.sent).containsExactly("next");
	}

	@Test
	void liveEntriesWaitForTheReplayAndOverlapIsDeliveredOnce() {
		LocalConnection connection = connection("s");
		connection.offer(entry("3-0"), "live three", this.sent::add);
		connection.offer(entry("4-0"), "live four", this.sent::add);
		assertThat(this.sent).isEmpty();

		connection.finishRecovery("s", List.of(replay("2-0", "two"), replay("3-0", "three")),
				new StreamPosition("s", "e1", "3-0"), "recovered", this.sent::add);

		connection.offer(entry("5-0"), "live five", this.sent::add);

		assertThat(this.sent).containsExactly("two", "three", "recovered", "live four", "live five");
	}

	@Test
	void anAbandonedRecoverySendsItsFrameThenTheBufferedEntries() {
		LocalConnection connection = connection("s");
		connection.offer(entry("5-0"), "live", this.sent::add);

		connection.abandonRecovery("s", "not recovered", this.sent::add);

		assertThat(this.sent).containsExactly("not recovered", "live");
	}

	@Test
	void aRecoveryBehindWhatTheConnectionAlreadyGotIsRefused() {
		LocalConnection connection = connection();
		connection.offer(entry("5-0"), "five", this.sent::add);

		assertThat(connection.beginRecovery(new StreamPosition("s", "e1", "3-0"), this.sent::add)).isFalse();
		assertThat(connection.beginRecovery(new StreamPosition("s", "e2", "9-0"), this.sent::add)).isFalse();
		assertThat(connection.beginRecovery(new StreamPosition("s", "e1", "5-0"), this.sent::add)).isTrue();
		connection.offer(entry("6-0"), "held back", this.sent::add);
		assertThat(this.sent).containsExactly("five");
	}

	@Test
	void aRecoveryWithNothingToReplayStandsAtThePosition() {
		LocalConnection connection = connection("s");
		connection.offer(entry("2-0"), "live two", this.sent::add);
		connection.offer(entry("4-0"), "live four", this.sent::add);

		connection.finishRecovery("s", List.of(), new StreamPosition("s", "e1", "3-0"), "recovered", this.sent::add);

		assertThat(this.sent).containsExactly("recovered", "live four");
	}

	@Test // #5
	void afterAGapLiveEntriesWaitUntilTheRepairWroteWhatTheGapSwallowed() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of(), gaps::get);
		connection.offer(entry("1-0"), "one", this.sent::add);

		gaps.incrementAndGet();
		connection.offer(entry("4-0"), "four", this.sent::add);
		assertThat(this.sent).containsExactly("one");
		List<LocalConnection.RepairPoint> points = connection.repairPoints(gaps.get(), this.sent::add);
		assertThat(points).singleElement()
			.satisfies((point) -> assertThat(point.cursor()).isEqualTo(new StreamPosition("s", "e1", "1-0")));
		connection.finishRepair(points.get(0),
				List.of(replay("2-0", "two"), replay("3-0", "three"), replay("4-0", "four")), null, this.sent::add);
		connection.offer(entry("5-0"), "five", this.sent::add);

		assertThat(this.sent).containsExactly("one", "two", "three", "four", "five");
	}

	@Test // #5
	void aRepairThatCannotReadTheStreamTellsTheClientThenReleasesTheLiveEntries() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of(), gaps::get);
		connection.offer(entry("1-0"), "one", this.sent::add);
		gaps.incrementAndGet();
		connection.offer(entry("9-0"), "nine", this.sent::add);

		connection.finishRepair(connection.repairPoints(gaps.get(), this.sent::add).get(0), null, "not recovered",
				this.sent::add);

		assertThat(this.sent).containsExactly("one", "not recovered", "nine");
	}

	@Test // #5
	void aGapDuringARepairKeepsTheLiveEntriesForTheNextRepair() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of(), gaps::get);
		connection.offer(entry("1-0"), "one", this.sent::add);
		gaps.incrementAndGet();
		LocalConnection.RepairPoint first = connection.repairPoints(gaps.get(), this.sent::add).get(0);
		gaps.incrementAndGet();
		connection.offer(entry("5-0"), "five", this.sent::add);

		connection.finishRepair(first, List.of(replay("2-0", "two")), null, this.sent::add);
		assertThat(this.sent).containsExactly("one", "two");
		LocalConnection.RepairPoint second = connection.repairPoints(gaps.get(), this.sent::add).get(0);
		assertThat(second.cursor().id()).isEqualTo("2-0");
		connection.finishRepair(second, List.of(replay("3-0", "three"), replay("5-0", "five")), null, this.sent::add);

		assertThat(this.sent).containsExactly("one", "two", "three", "five");
	}

	@Test // #5
	void aRecoveryEndingWhileItsStreamWaitsForARepairLeavesTheLiveEntriesToTheRepair() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of("s"), gaps::get);
		gaps.incrementAndGet();
		connection.offer(entry("4-0"), "live four", this.sent::add);
		assertThat(connection.repairPoints(gaps.get(), this.sent::add)).as("left to the recovery").isEmpty();

		boolean repair = connection.finishRecovery("s", List.of(replay("2-0", "two")),
				new StreamPosition("s", "e1", "2-0"), "recovered", this.sent::add);

		assertThat(repair).isTrue();
		assertThat(this.sent).containsExactly("two", "recovered");
		connection.finishRepair(connection.repairPoints(gaps.get(), this.sent::add).get(0),
				List.of(replay("3-0", "three"), replay("4-0", "live four")), null, this.sent::add);
		assertThat(this.sent).containsExactly("two", "recovered", "three", "live four");
	}

	@Test
	void aRoomPositionWaitsForMembershipOnce() {
		LocalConnection connection = connection("room:r");
		StreamPosition position = new StreamPosition("room:r", "e1", "1-0");
		connection.awaitMembership(position);

		assertThat(connection.takeAwaitingMembership("room:r")).isEqualTo(position);
		assertThat(connection.takeAwaitingMembership("room:r")).isNull();
	}

	@Test // #13
	void aStreamOfARoomTheUserLeftIsNotRepairedAfterAGap() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of(), gaps::get);
		connection.offer(entry("1-0"), "one", this.sent::add);

		connection.leftRoom("s");
		gaps.incrementAndGet();

		assertThat(connection.repairPoints(gaps.get(), this.sent::add)).isEmpty();
		assertThat(this.sent).containsExactly("one");
	}

	@Test // #13
	void aStreamOfARoomJoinedAgainBeforeItWasDroppedIsStillRepaired() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of(), gaps::get);
		connection.offer(entry("1-0"), "one", this.sent::add);

		connection.leftRoom("s");
		connection.joinedRoom("s");
		gaps.incrementAndGet();

		assertThat(connection.repairPoints(gaps.get(), this.sent::add)).singleElement()
			.satisfies((point) -> assertThat(point.cursor()).isEqualTo(new StreamPosition("s", "e1", "1-0")));
	}

	@Test // #13
	void leavingARoomWritesTheEntriesHeldBackForItBeforeDroppingIt() {
		AtomicLong gaps = new AtomicLong();
		LocalConnection connection = new LocalConnection("c", "u", this.session, Map.of(), Set.of(), gaps::get);
		connection.offer(entry("1-0"), "one", this.sent::add);
		gaps.incrementAndGet();
		connection.offer(entry("2-0"), "two", this.sent::add);

		connection.leftRoom("s");

		assertThat(connection.repairPoints(gaps.get(), this.sent::add)).isEmpty();
		assertThat(this.sent).containsExactly("one", "two");
	}

}
