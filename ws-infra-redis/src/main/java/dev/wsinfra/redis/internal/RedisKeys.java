package dev.wsinfra.redis.internal;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The names of the keys and channels on a standalone or Sentinel Redis, where every key
 * is on one node: {@code <prefix>room_members:<room>}, {@code <prefix>user_rooms:<user>},
 * {@code <prefix>online_users}... The online and leaving users are one set each (one
 * partition). Persistent streams have the hash-tagged names of {@link ClusterKeyLayout}:
 * a room's stream shares the room's tag, a user's the user's, any other stream has its
 * own.
 */
public final class RedisKeys implements KeyLayout {

	private final String prefix;

	public RedisKeys(String prefix) {
		this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
	}

	@Override
	public String prefix() {
		return this.prefix;
	}

	@Override
	public String broadcastChannel() {
		return this.prefix + "broadcast";
	}

	@Override
	public List<String> broadcastChannels() {
		return List.of(broadcastChannel());
	}

	@Override
	public String broadcastChannelOf(String stream) {
		return broadcastChannel();
	}

	@Override
	public String roomChannel(String room) {
		return this.prefix + "room:" + room;
	}

	@Override
	public String userChannel(String userId) {
		return this.prefix + "user:" + userId;
	}

	@Override
	public String ackChannel(String instanceId) {
		return this.prefix + "ack:" + instanceId;
	}

	@Override
	public String roomMembers(String room) {
		return this.prefix + "room_members:" + room;
	}

	@Override
	public String userRooms(String userId) {
		return this.prefix + "user_rooms:" + userId;
	}

	@Override
	public String presence(String userId) {
		return this.prefix + "presence:" + userId;
	}

	@Override
	public String userState(String userId) {
		return this.prefix + "user_state:" + userId;
	}

	@Override
	public int partitions() {
		return 1;
	}

	@Override
	public int partitionOf(String userId) {
		return 0;
	}

	@Override
	public String onlineUsers(int partition) {
		checkPartition(partition);
		return this.prefix + "online_users";
	}

	@Override
	public String leaving(int partition) {
		checkPartition(partition);
		return this.prefix + "leaving";
	}

	private static void checkPartition(int partition) {
		if (partition != 0) {
			throw new IllegalArgumentException("A standalone Redis has one partition, not " + partition);
		}
	}

	@Override
	public String instances() {
		return this.prefix + "instances";
	}

	@Override
	public String instance(String instanceId) {
		return this.prefix + "instance:" + instanceId;
	}

	@Override
	public String instanceConnections(String instanceId) {
		return this.prefix + "instance_connections:" + instanceId;
	}

	@Override
	public String stream(String streamKey) {
		return ClusterKeyLayout.tagged(this.prefix, 's', streamKey, "stream");
	}

	@Override
	public String roomStream(String room) {
		return ClusterKeyLayout.tagged(this.prefix, 'r', room, "stream");
	}

	@Override
	public String userStream(String userId) {
		return ClusterKeyLayout.tagged(this.prefix, 'u', userId, "stream");
	}

	@Override
	public @Nullable ChannelTarget parseChannel(String channel) {
		if (!channel.startsWith(this.prefix)) {
			return null;
		}
		String rest = channel.substring(this.prefix.length());
		if (rest.equals("broadcast")) {
			return new ChannelTarget(ChannelTarget.Kind.BROADCAST, "");
		}
		if (rest.startsWith("room:")) {
			return new ChannelTarget(ChannelTarget.Kind.ROOM, rest.substring(5));
		}
		if (rest.startsWith("user:")) {
			return new ChannelTarget(ChannelTarget.Kind.USER, rest.substring(5));
		}
		if (rest.startsWith("ack:")) {
			return new ChannelTarget(ChannelTarget.Kind.ACK, rest.substring(4));
		}
		return null;
	}

}
