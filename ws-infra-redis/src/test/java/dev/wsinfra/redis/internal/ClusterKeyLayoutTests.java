package dev.wsinfra.redis.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Each room, user, stream and instance hashes to a slot of its own, whatever its name.
 */
class ClusterKeyLayoutTests {

	private final ClusterKeyLayout layout = new ClusterKeyLayout("ws:", 60);

	@Test // #13
	void namesCarryAHashTagPerRoomUserAndInstanceAndBroadcastStreamsAPartitions() {
		assertThat(this.layout.roomChannel("lobby")).isEqualTo("ws:{r:lobby}:channel");
		assertThat(this.layout.roomMembers("lobby")).isEqualTo("ws:{r:lobby}:members");
		assertThat(this.layout.userChannel("alice")).isEqualTo("ws:{u:alice}:channel");
		assertThat(this.layout.userRooms("alice")).isEqualTo("ws:{u:alice}:rooms");
		assertThat(this.layout.presence("alice")).isEqualTo("ws:{u:alice}:presence");
		assertThat(this.layout.userState("alice")).isEqualTo("ws:{u:alice}:state");
		int partition = this.layout.partitionOf("orders");
		assertThat(this.layout.stream("orders"))
			.isEqualTo(this.layout.onlineUsers(partition).replace("online_users", "stream:orders"));
		assertThat(this.layout.ackChannel("node-1")).isEqualTo("ws:{i:node-1}:ack");
		assertThat(this.layout.instance("node-1")).isEqualTo("ws:{i:node-1}:alive");
		assertThat(this.layout.instanceConnections("node-1")).isEqualTo("ws:{i:node-1}:connections");
	}

	@Test // #13
	void theKeysOfOneRoomOrUserShareASlotAndDifferentRoomsSpread() {
		assertThat(SlotHash.getSlot(this.layout.roomMembers("lobby")))
			.isEqualTo(SlotHash.getSlot(this.layout.roomChannel("lobby")));
		assertThat(SlotHash.getSlot(this.layout.userRooms("alice")))
			.isEqualTo(SlotHash.getSlot(this.layout.presence("alice")))
			.isEqualTo(SlotHash.getSlot(this.layout.userState("alice")))
			.isEqualTo(SlotHash.getSlot(this.layout.userChannel("alice")));
		Set<Integer> slots = new HashSet<>();
		IntStream.range(0, 1000).forEach((i) -> slots.add(SlotHash.getSlot(this.layout.roomMembers("room-" + i))));
		assertThat(slots).hasSizeGreaterThan(950);
	}

	@Test // #13
	void thePersistentStreamOfARoomOrUserIsInItsChannelsSlot() {
		assertThat(this.layout.roomStream("lobby")).isEqualTo("ws:{r:lobby}:stream");
		assertThat(SlotHash.getSlot(this.layout.roomStream("lobby")))
			.isEqualTo(SlotHash.getSlot(this.layout.roomChannel("lobby")));
		assertThat(this.layout.userStream("alice")).isEqualTo("ws:{u:alice}:stream");
		assertThat(SlotHash.getSlot(this.layout.userStream("alice")))
			.isEqualTo(SlotHash.getSlot(this.layout.userChannel("alice")));
	}

	@Test // #13
	void redisKeysNamesRoomAndUserStreamsAsTheLayoutDoes() {
		RedisKeys keys = new RedisKeys("ws:");
		assertThat(keys.roomStream("a}b")).isEqualTo(this.layout.roomStream("a}b"));
		assertThat(keys.userStream("alice")).isEqualTo(this.layout.userStream("alice"));
	}

	@ParameterizedTest // #13
	@ValueSource(strings = { "a}b", "}", "{", "{a}", "a{b}c", "%7D", "%", "100%", "x}:members", "", "ü{😀}" })
	void aNameWithBracesHashesByItsWholeEscapedSelf(String room) {
		String key = this.layout.roomMembers(room);
		String tag = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
		assertThat(tag).isEqualTo("r:" + ClusterKeyLayout.escape(room));
		assertThat(ClusterKeyLayout.unescape(tag.substring(2))).isEqualTo(room);
		assertThat(SlotHash.getSlot(key)).isEqualTo(SlotHash.getSlot(tag));
		assertThat(key).endsWith("}:members");
	}

	@Test // #13
	void namesThatDifferOnlyByBracesOrEscapesGetDifferentTags() {
		List<String> rooms = List.of("a}b", "a%7Db", "a%257Db", "a{b", "a%7Bb", "ab", "a}", "a");
		Set<String> keys = new HashSet<>();
		rooms.forEach((room) -> keys.add(this.layout.roomMembers(room)));
		assertThat(keys).hasSameSizeAs(rooms);
	}

	@ParameterizedTest // #13
	@ValueSource(strings = { "lobby", "a}b", "{", "%", "x:y", "" })
	void channelsParseBackToWhatTheyAddress(String name) {
		assertThat(this.layout.parseChannel(this.layout.roomChannel(name)))
			.isEqualTo(new KeyLayout.ChannelTarget(KeyLayout.ChannelTarget.Kind.ROOM, name));
		assertThat(this.layout.parseChannel(this.layout.userChannel(name)))
			.isEqualTo(new KeyLayout.ChannelTarget(KeyLayout.ChannelTarget.Kind.USER, name));
		assertThat(this.layout.parseChannel(this.layout.ackChannel(name)))
			.isEqualTo(new KeyLayout.ChannelTarget(KeyLayout.ChannelTarget.Kind.ACK, name));
	}

	@Test // #13
	void everyBroadcastPartitionAndTheBroadcastsOwnNameParseAsTheBroadcast() {
		assertThat(this.layout.parseChannel(this.layout.broadcastChannel()))
			.isEqualTo(new KeyLayout.ChannelTarget(KeyLayout.ChannelTarget.Kind.BROADCAST, ""));
		List<String> channels = this.layout.broadcastChannels();
		assertThat(channels).hasSize(60).doesNotHaveDuplicates();
		assertThat(channels).allSatisfy((channel) -> assertThat(this.layout.parseChannel(channel))
			.isEqualTo(new KeyLayout.ChannelTarget(KeyLayout.ChannelTarget.Kind.BROADCAST, "")));
	}

	@ParameterizedTest // #13
	@ValueSource(strings = { "other:{r:lobby}:channel", "ws:room:lobby", "ws:{r:lobby}:members", "ws:{r:lobby",
			"ws:{r:a%7Xb}:channel", "ws:{r:a%7}:channel", "ws:{q:lobby}:channel", "ws:{p0.1}:broadcast",
			"ws:{u:alice}:ack", "ws:{r:a{b}:channel" })
	void aForeignOrMalformedChannelParsesAsNothing(String channel) {
		assertThat(this.layout.parseChannel(channel)).isNull();
	}

	@Test // #13
	void usersSpreadOverThePartitionsOfTheShardedSets() {
		int[] perPartition = new int[60];
		IntStream.range(0, 6000).forEach((i) -> perPartition[this.layout.partitionOf("user-" + i)]++);
		assertThat(IntStream.of(perPartition).min().orElseThrow()).isGreaterThan(50);
		assertThat(this.layout.partitionOf("alice")).isEqualTo(new ClusterKeyLayout("other:", 60).partitionOf("alice"));
		Set<Integer> slots = new HashSet<>();
		IntStream.range(0, 60).forEach((p) -> slots.add(SlotHash.getSlot(this.layout.onlineUsers(p))));
		assertThat(slots).hasSize(60);
		assertThat(SlotHash.getSlot(this.layout.leaving(7))).isEqualTo(SlotHash.getSlot(this.layout.onlineUsers(7)));
	}

	@Test // #13
	void aPartitionOutOfRangeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.layout.onlineUsers(60)).withMessageContaining("60");
		assertThatIllegalArgumentException().isThrownBy(() -> this.layout.leaving(-1)).withMessageContaining("-1");
	}

	@Test // #13
	void aPrefixWithAHashTagPutsEveryNameInItsSlotAndStillParses() {
		ClusterKeyLayout tagged = new ClusterKeyLayout("{app}:", 60);
		int slot = SlotHash.getSlot("{app}:");
		assertThat(List.of(tagged.roomChannel("lobby"), tagged.userRooms("alice"), tagged.stream("orders"),
				tagged.broadcastChannelOf("orders"), tagged.onlineUsers(5), tagged.instanceConnections("i1")))
			.allSatisfy((name) -> assertThat(SlotHash.getSlot(name)).isEqualTo(slot));
		assertThat(tagged.parseChannel(tagged.roomChannel("a}b")))
			.isEqualTo(new KeyLayout.ChannelTarget(KeyLayout.ChannelTarget.Kind.ROOM, "a}b"));
	}

	@Test // #13
	void aBroadcastStreamIsInTheSlotOfThePartitionItsEntriesArePublishedOn() {
		Set<Integer> partitions = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			String stream = "orders-" + i;
			String channel = this.layout.broadcastChannelOf(stream);
			assertThat(SlotHash.getSlot(this.layout.stream(stream))).isEqualTo(SlotHash.getSlot(channel));
			partitions.add(this.layout.broadcastChannels().indexOf(channel));
		}
		assertThat(partitions).hasSizeGreaterThan(40).doesNotContain(-1);
		assertThat(this.layout.stream("a}b")).isNotEqualTo(this.layout.stream("a%7Db"));
	}

}
