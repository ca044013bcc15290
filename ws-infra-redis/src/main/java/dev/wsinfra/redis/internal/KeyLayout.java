package dev.wsinfra.redis.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The names of every Redis key and channel of a manager, all under one prefix:
 * {@link RedisKeys} on a standalone or Sentinel Redis, {@link ClusterKeyLayout} on a
 * Redis Cluster, where each room, user, stream and instance hashes to a slot of its own.
 * <p>
 * Whatever the layout, each Lua script touches the keys of one room, one user, one
 * instance or one partition only, so that every script runs on one slot.
 */
public interface KeyLayout {

	String prefix();

	/**
	 * The name under which the manager sends and receives broadcasts; on a cluster a
	 * broadcast travels on one of the {@link #broadcastChannels() partitions}.
	 */
	String broadcastChannel();

	/**
	 * Returns the channels every instance subscribes to for broadcasts.
	 * @return the broadcast channel, or the channels of its partitions
	 */
	List<String> broadcastChannels();

	/**
	 * Returns the channel on which a script appending to a broadcast stream publishes the
	 * entry: one in the stream's slot.
	 * @param stream the stream, as the manager names it
	 * @return the channel
	 */
	String broadcastChannelOf(String stream);

	/** Channel of one room, subscribed while the instance has a local member. */
	String roomChannel(String room);

	/**
	 * Channel of one user, subscribed while the instance has a local connection of the
	 * user.
	 */
	String userChannel(String userId);

	/** Channel of one instance, on which the others acknowledge its room joins. */
	String ackChannel(String instanceId);

	/**
	 * Returns what a channel of this layout addresses.
	 * @param channel the channel
	 * @return the target, or {@code null} for a channel that is not one of this layout's
	 */
	@Nullable ChannelTarget parseChannel(String channel);

	/** Set of a room's members, across the cluster; an index of the users' own sets. */
	String roomMembers(String room);

	/** Set of a user's rooms: what the user is a member of. */
	String userRooms(String userId);

	/** Hash of a user's connections: connection id to the connection's presence entry. */
	String presence(String userId);

	/**
	 * Hash of a user's state across the cluster: online, when a deferred leave is due, or
	 * a departure under way. In the user's slot, with the presence and the rooms.
	 */
	String userState(String userId);

	/** How many partitions the online users and the leaving users are split into. */
	int partitions();

	/**
	 * Returns the partition of a user in the online and leaving sets, the same on every
	 * instance.
	 * @param userId the user
	 * @return from 0 to {@link #partitions()} - 1
	 */
	int partitionOf(String userId);

	/** One partition of the set of online users, an index of the users' states. */
	String onlineUsers(int partition);

	/**
	 * One partition of the sorted set of users whose leave is due, scored by when: what
	 * remains to be done after their last connection closed.
	 */
	String leaving(int partition);

	/** Set of the instances that hold, or held, connections. */
	String instances();

	/** Liveness key of an instance, kept alive by its heartbeat. */
	String instance(String instanceId);

	/** Hash of what an instance holds: connection id to user id. */
	String instanceConnections(String instanceId);

	/** Persistent stream that is neither a room's nor a user's. */
	String stream(String streamKey);

	/** Persistent stream of a room, in the slot of the room's channel. */
	String roomStream(String room);

	/** Persistent stream of a user, in the slot of the user's channel. */
	String userStream(String userId);

	/**
	 * What a channel addresses.
	 *
	 * @param kind broadcast, room, user or acknowledgements
	 * @param name the room, user or instance, empty for broadcast
	 */
	record ChannelTarget(Kind kind, String name) {

		public enum Kind {

			BROADCAST, ROOM, USER, ACK

		}

	}

}
