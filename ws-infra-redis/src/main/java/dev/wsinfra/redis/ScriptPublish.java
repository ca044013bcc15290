package dev.wsinfra.redis;

import dev.wsinfra.redis.internal.ShardedPublisher;

/**
 * How the Lua scripts publish what they announce in the same step as the change: a room
 * change on the user's channel, a stream entry on the channel of the stream's targets. To
 * plain subscribers with {@code PUBLISH}; on a Redis Cluster, to sharded subscribers with
 * {@code SPUBLISH}, as frames without a sequence (see
 * {@link ShardedPublisher#UNORDERED_PREFIX}), on a channel in the slot of the script's
 * keys.
 *
 * @param sharded whether subscribers use sharded pub/sub
 */
record ScriptPublish(boolean sharded) {

	static final ScriptPublish PLAIN = new ScriptPublish(false);

	static final ScriptPublish SHARDED = new ScriptPublish(true);

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

}
