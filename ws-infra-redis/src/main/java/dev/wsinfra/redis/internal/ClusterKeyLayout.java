package dev.wsinfra.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.lettuce.core.codec.CRC16;
import org.jspecify.annotations.Nullable;

/**
 * The names of the keys and channels on a Redis Cluster: each room, user, stream and
 * instance has a hash tag of its own ({@code <prefix>{r:<room>}:members},
 * {@code <prefix>{u:<user>}:rooms}...), so each hashes to a slot of its own and the data
 * spreads over the masters, while the keys of one room (or user, stream, instance) share
 * a slot and a Lua script can touch them together. What every instance touches (the
 * online users, the leaving set, the broadcast channel) is split into partitions whose
 * tags {@link SlotSpread spread evenly} over the slots; so are the streams that are
 * neither a room's nor a user's, each in the slot of the broadcast partition its entries
 * are published on.
 * <p>
 * A prefix with a hash tag of its own (<code>{ws}:</code>) puts every key in its slot:
 * that works, on one node.
 * <p>
 * A name inside a tag is escaped ({@code %} to {@code %25}, <code>{</code> to
 * {@code %7B}, <code>}</code> to {@code %7D}), so a room or user name with braces can
 * neither end its tag early nor share a tag with another name.
 */
public final class ClusterKeyLayout implements KeyLayout {

	/** How many partitions the sharded names have unless told otherwise. */
	public static final int DEFAULT_PARTITIONS = 60;

	private final String prefix;

	private final List<String> partitionTags;

	private final List<String> broadcastChannels;

	/**
	 * @param prefix the prefix of every name; one with a hash tag puts every name in one
	 * slot
	 * @param partitions how many partitions the sharded names have, 1 to
	 * {@value SlotSpread#MAX_PARTITIONS}; every instance must use the same number
	 */
	public ClusterKeyLayout(String prefix, int partitions) {
		this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
		this.partitionTags = SlotSpread.tags(partitions);
		this.broadcastChannels = this.partitionTags.stream().map((tag) -> prefix + "{" + tag + "}:broadcast").toList();
	}

	@Override
	public String prefix() {
		return this.prefix;
	}

	@Override
	public int partitions() {
		return this.partitionTags.size();
	}

	/** Channel of one room, subscribed while the instance has a local member. */
	@Override
	public String roomChannel(String room) {
		return name('r', room, "channel");
	}

	@Override
	public String roomMembers(String room) {
		return name('r', room, "members");
	}

	/**
	 * Channel of one user, subscribed while the instance has a connection of the user.
	 */
	@Override
	public String userChannel(String userId) {
		return name('u', userId, "channel");
	}

	@Override
	public String userRooms(String userId) {
		return name('u', userId, "rooms");
	}

	/** Hash of a user's connections: connection id to the connection's presence entry. */
	@Override
	public String presence(String userId) {
		return name('u', userId, "presence");
	}

	@Override
	public String userState(String userId) {
		return name('u', userId, "state");
	}

	/**
	 * Stream of a persistent stream that is neither a room's nor a user's: in the slot of
	 * the broadcast partition its entries are published on (see
	 * {@link #broadcastChannelOf(String)}), so that the append and its publish are one
	 * single-slot step. The streams spread over the partitions, as evenly as the
	 * partitions over the masters.
	 */
	@Override
	public String stream(String streamKey) {
		return partitionKey(partitionOf(streamKey), "stream:" + escape(streamKey));
	}

	@Override
	public String broadcastChannel() {
		return this.prefix + "broadcast";
	}

	@Override
	public String broadcastChannelOf(String stream) {
		return broadcastChannels().get(partitionOf(stream));
	}

	/**
	 * Persistent stream of a room: in the room's slot, with its channel, so that the
	 * append and its publish are one single-slot step.
	 */
	@Override
	public String roomStream(String room) {
		return name('r', room, "stream");
	}

	/** Persistent stream of a user: in the user's slot, with its channel. */
	@Override
	public String userStream(String userId) {
		return name('u', userId, "stream");
	}

	/** Channel of one instance, on which the others acknowledge its room joins. */
	@Override
	public String ackChannel(String instanceId) {
		return name('i', instanceId, "ack");
	}

	/** Liveness key of an instance, kept alive by its heartbeat. */
	@Override
	public String instance(String instanceId) {
		return name('i', instanceId, "alive");
	}

	/** Hash of what an instance holds: connection id to user id. */
	@Override
	public String instanceConnections(String instanceId) {
		return name('i', instanceId, "connections");
	}

	/**
	 * Set of the instances that hold, or held, connections: one key, touched by each
	 * instance's heartbeat only, never by a connect or a message.
	 */
	@Override
	public String instances() {
		return this.prefix + "{instances}:set";
	}

	/**
	 * Returns the channels of the broadcast partitions, which every instance subscribes
	 * to: a broadcast goes to one of them.
	 * @return one channel per partition, in partition order
	 */
	@Override
	public List<String> broadcastChannels() {
		return this.broadcastChannels;
	}

	/**
	 * Returns one partition of the set of online users.
	 * @param partition the partition, see {@link #partitionOf(String)}
	 * @return the key of the partition's set
	 */
	@Override
	public String onlineUsers(int partition) {
		return partitionKey(partition, "online_users");
	}

	/**
	 * Returns one partition of the sorted set of users whose last connection closed,
	 * scored by when their leave is due.
	 * @param partition the partition, see {@link #partitionOf(String)}
	 * @return the key of the partition's sorted set
	 */
	@Override
	public String leaving(int partition) {
		return partitionKey(partition, "leaving");
	}

	/**
	 * Returns the partition a user belongs to in the sharded sets, from the CRC16 of the
	 * user id: stable across instances and restarts.
	 * @param userId the user id
	 * @return a partition, from 0 to {@link #partitions()} - 1
	 */
	@Override
	public int partitionOf(String userId) {
		return CRC16.crc16(userId.getBytes(StandardCharsets.UTF_8)) % this.partitionTags.size();
	}

	/**
	 * Returns what a channel of this layout addresses: a broadcast partition, a room, a
	 * user or an instance's acknowledgements.
	 * @param channel the channel
	 * @return the target, with the name unescaped, or {@code null} for a channel that is
	 * not one of this layout's
	 */
	@Override
	public @Nullable ChannelTarget parseChannel(String channel) {
		if (channel.equals(broadcastChannel())) {
			return new ChannelTarget(ChannelTarget.Kind.BROADCAST, "");
		}
		if (!channel.startsWith(this.prefix + "{")) {
			return null;
		}
		int open = this.prefix.length();
		int close = channel.indexOf('}', open);
		if (close < 0) {
			return null;
		}
		String tag = channel.substring(open + 1, close);
		String suffix = channel.substring(close + 1);
		if (suffix.equals(":broadcast")) {
			return this.partitionTags.contains(tag) ? new ChannelTarget(ChannelTarget.Kind.BROADCAST, "") : null;
		}
		ChannelTarget.Kind kind = kind(tag, suffix);
		String name = (kind != null) ? unescape(tag.substring(2)) : null;
		return (name != null) ? new ChannelTarget(kind, name) : null;
	}

	private static ChannelTarget.@Nullable Kind kind(String tag, String suffix) {
		if (tag.startsWith("r:") && suffix.equals(":channel")) {
			return ChannelTarget.Kind.ROOM;
		}
		if (tag.startsWith("u:") && suffix.equals(":channel")) {
			return ChannelTarget.Kind.USER;
		}
		if (tag.startsWith("i:") && suffix.equals(":ack")) {
			return ChannelTarget.Kind.ACK;
		}
		return null;
	}

	private String partitionKey(int partition, String what) {
		if (partition < 0 || partition >= this.partitionTags.size()) {
			throw new IllegalArgumentException(
					"Partition must be between 0 and " + (this.partitionTags.size() - 1) + ", not " + partition);
		}
		return this.prefix + "{" + this.partitionTags.get(partition) + "}:" + what;
	}

	private String name(char kind, String name, String what) {
		return tagged(this.prefix, kind, name, what);
	}

	/**
	 * Returns the name of a key or channel with its own hash tag:
	 * <code>&lt;prefix&gt;{&lt;kind&gt;:&lt;escaped name&gt;}:&lt;what&gt;</code>.
	 * @param prefix the prefix
	 * @param kind {@code r} for a room, {@code u} for a user, {@code s} for a stream,
	 * {@code i} for an instance
	 * @param name the room, user, stream or instance
	 * @param what what the key or channel holds
	 * @return the name
	 */
	static String tagged(String prefix, char kind, String name, String what) {
		return prefix + "{" + kind + ":" + escape(name) + "}:" + what;
	}

	/**
	 * Escapes a name for a hash tag: {@code %}, <code>{</code> and <code>}</code> become
	 * {@code %25}, {@code %7B} and {@code %7D}.
	 * @param name the name
	 * @return the escaped name, without braces
	 */
	static String escape(String name) {
		if (name.indexOf('%') < 0 && name.indexOf('{') < 0 && name.indexOf('}') < 0) {
			return name;
		}
		return name.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
	}

	/**
	 * Reverses {@link #escape(String)}.
	 * @param escaped an escaped name
	 * @return the name, or {@code null} when the text is not an escaped name
	 */
	static @Nullable String unescape(String escaped) {
		StringBuilder name = new StringBuilder(escaped.length());
		for (int i = 0; i < escaped.length(); i++) {
			char c = escaped.charAt(i);
			if (c == '{' || c == '}') {
				return null;
			}
			if (c != '%') {
				name.append(c);
				continue;
			}
			String code = (i + 3 <= escaped.length()) ? escaped.substring(i + 1, i + 3) : "";
			switch (code) {
				case "25" -> name.append('%');
				case "7B" -> name.append('{');
				case "7D" -> name.append('}');
				default -> {
					return null;
				}
			}
			i += 2;
		}
		return name.toString();
	}

}
