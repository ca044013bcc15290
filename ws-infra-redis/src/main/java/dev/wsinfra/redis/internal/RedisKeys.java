package dev.wsinfra.redis.internal;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The names of every Redis key and channel the module uses, all under one prefix. The Lua
 * scripts in {@link LuaScripts} build the per-user and per-room names the same way.
 * Persistent streams have the hash-tagged names of {@link ClusterKeyLayout}: a room's
 * stream shares the room's tag, a user's the user's, any other stream has its own.
 */
public final class RedisKeys {

	private final String prefix;

	public RedisKeys(String prefix) {
		this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
	}

	public String prefix() {
		return this.prefix;
	}

	/** Channel every instance subscribes to. */
	public String broadcastChannel() {
		return this.prefix + "broadcast";
	}

	/** Channel of one room, subscribed while the instance has a local member. */
	public String roomChannel(String room) {
		return this.prefix + "room:" + room;
	}

	/**
	 * Channel of one user, subscribed while the instance has a local connection of the
	 * user.
	 */
	public String userChannel(String userId) {
		return this.prefix + "user:" + userId;
	}

	/** Channel of one instance, on which the others acknowledge its room joins. */
	public String ackChannel(String instanceId) {
		return this.prefix + "ack:" + instanceId;
	}

	public String roomMembers(String room) {
		return this.prefix + "room_members:" + room;
	}

	public String userRooms(String userId) {
		return this.prefix + "user_rooms:" + userId;
	}

	/** Hash of a user's connections: connection id to the connection's presence entry. */
	public String presence(String userId) {
		return this.prefix + "presence:" + userId;
	}

	public String onlineUsers() {
		return this.prefix + "online_users";
	}

	/**
	 * Sorted set of users whose last connection closed, scored by when their leave is
	 * due.
	 */
	public String leaving() {
		return this.prefix + "leaving";
	}

	/** Set of the instances that hold, or held, connections. */
	public String instances() {
		return this.prefix + "instances";
	}

	/** Liveness key of an instance, kept alive by its heartbeat. */
	public String instance(String instanceId) {
		return this.prefix + "instance:" + instanceId;
	}

	/** Hash of what an instance holds: connection id to user id. */
	public String instanceConnections(String instanceId) {
		return this.prefix + "instance_connections:" + instanceId;
	}

	/** Persistent stream that is neither a room's nor a user's. */
	public String stream(String streamKey) {
		return ClusterKeyLayout.tagged(this.prefix, 's', streamKey, "stream");
	}

	/** Persistent stream of a room, in the room's hash slot. */
	public String roomStream(String room) {
		return ClusterKeyLayout.tagged(this.prefix, 'r', room, "stream");
	}

	/** Persistent stream of a user, in the user's hash slot. */
	public String userStream(String userId) {
		return ClusterKeyLayout.tagged(this.prefix, 'u', userId, "stream");
	}

	/**
	 * Returns what a channel of this prefix addresses.
	 * @param channel the channel
	 * @return the target, or {@code null} for a channel that is not ours
	 */
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

	/**
	 * What a channel addresses.
	 *
	 * @param kind broadcast, room, user or acknowledgements
	 * @param name the room, user or instance, empty for broadcast
	 */
	public record ChannelTarget(Kind kind, String name) {

		public enum Kind {

			BROADCAST, ROOM, USER, ACK

		}

	}

}
