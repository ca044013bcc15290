package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What arrives on sharded channels keeps each publisher's order.
 */
class ShardedInboundTests {

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	private final ShardedInbound inbound = new ShardedInbound(List.of("b0", "b1"), Duration.ofMillis(100),
			(channel, payload) -> this.delivered.add(channel + "=" + payload));

	@AfterEach
	void close() {
		this.inbound.close();
	}

	@Test // #13
	void aMessageOlderThanOneDeliveredFromItsPublisherOnTheChannelIsDropped() {
		this.inbound.received("room", "a:5:five");
		this.inbound.received("room", "a:9:nine");
		this.inbound.received("room", "a:7:seven, re-sent late");
		this.inbound.received("room", "a:9:nine again");
		this.inbound.received("room", "a:10:ten");
		assertThat(this.delivered).containsExactly("room=five", "room=nine", "room=ten");
		assertThat(this.inbound.droppedOutOfOrder()).isEqualTo(2);
	}

	@Test // #13
	void framesWithoutASequenceAreDeliveredAsTheyComeOnChannelsAndPartitions() {
		this.inbound.received("room", "a:5:five");
		this.inbound.received("room", ShardedPublisher.UNORDERED_PREFIX + "script one");
		this.inbound.received("room", ShardedPublisher.UNORDERED_PREFIX + "script two");
		this.inbound.received("b1", ShardedPublisher.UNORDERED_PREFIX + "entry");
		this.inbound.received("room", "a:6:six");
		assertThat(this.delivered).containsExactly("room=five", "room=script one", "room=script two", "b1=entry",
				"room=six");
		assertThat(this.inbound.droppedOutOfOrder()).isZero();
		assertThat(this.inbound.skippedBroadcasts()).isZero();
	}

	@Test // #13
	void publishersAndChannelsAreOrderedApart() {
		this.inbound.received("room", "a:5:a5");
		this.inbound.received("room", "b:1:b1");
		this.inbound.received("other", "a:2:a2");
		this.inbound.received("room", "a:6:a6");
		assertThat(this.delivered).containsExactly("room=a5", "room=b1", "other=a2", "room=a6");
		assertThat(this.inbound.droppedOutOfOrder()).isZero();
	}

	@Test // #13
	void broadcastsOverSeveralPartitionsArePutBackInOrder() {
		this.inbound.received("b0", "a:0:zero");
		this.inbound.received("b0", "a:2:two");
		this.inbound.received("b1", "a:1:one");
		this.inbound.received("b1", "a:4:four");
		assertThat(this.delivered).containsExactly("b0=zero", "b1=one", "b0=two");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.delivered.size() == 4);
		assertThat(this.delivered).last().isEqualTo("b1=four");
		assertThat(this.inbound.skippedBroadcasts()).isEqualTo(1);
	}

	@Test // #13
	void aPayloadMayContainTheSeparator() {
		this.inbound.received("room", "a:0:{\"t\":\"x:y:z\"}");
		assertThat(this.delivered).containsExactly("room={\"t\":\"x:y:z\"}");
	}

	@ParameterizedTest // #13
	@ValueSource(
			strings = { "", "plain", "a:", "a:1", ":1:x", "a::x", "a:-1:x", "a:one:x", "a:99999999999999999999:x" })
	void aMalformedFrameIsCountedAndDropped(String text) {
		this.inbound.received("room", text);
		this.inbound.received("b0", text);
		assertThat(this.delivered).isEmpty();
		assertThat(this.inbound.malformed()).isEqualTo(2);
	}

}
