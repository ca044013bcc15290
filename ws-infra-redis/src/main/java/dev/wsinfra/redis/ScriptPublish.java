package dev.wsinfra.redis;

import dev.wsinfra.redis.internal.ShardedPublisher;

/**
 * How the Lua scripts publish what they announce in the same step as the change: a room
 * change on the user's channel, a stream entry on the channel of the stream's targets. To
 * plain subscribers with {@code PUBLISH}; on a Redis Cluster, to sharded subscribers with
 * {@code SPUBLISH}, as frames without a sequence (see
 * {@link ShardedPublisher#UNORDERED_PREFIX}), and a broadcast stream's entries on a
 * broadcast partition.
 *
 * @param sharded whether subscribers use sharded pub/sub
 * @param broadcastChannel the channel of broadcasts, as the manager names it
 * @param broadcastTarget where the scripts publish what goes to the broadcast channel
 */
record ScriptPublish(boolean sharded, String broadcastChannel, String broadcastTarget) {

	static ScriptPublish plain(String broadcastChannel) {
		return new ScriptPublish(false, broadcastChannel, broadcastChannel);
	}

	static ScriptPublish sharded(String broadcastChannel, String partition) {
		return new ScriptPublish(true, broadcastChannel, partition);
	}

	/**
	 * {@return the publish command, which the scripts accept only as one of the two}
	 */
	String command() {
		return this.sharded ? "SPUBLISH" : "PUBLISH";
	}

	/**
	 * {@return what goes before a payload the scripts publish}
	 */
	String framePrefix() {
		return this.sharded ? ShardedPublisher.UNORDERED_PREFIX : "";
	}

	/**
	 * {@return the channel a script publishes to, for a channel of the manager}
	 */
	String channel(String channel) {
		return channel.equals(this.broadcastChannel) ? this.broadcastTarget : channel;
	}

}
