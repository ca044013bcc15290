package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import dev.wsinfra.redis.internal.LuaScripts;
import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.StreamEntry;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import org.jspecify.annotations.Nullable;

/**
 * Persistent streams: the atomic append-and-publish, history reads and the recovery read.
 */
final class StreamStore {

	private final RedisGateway gateway;

	private final KeyLayout keys;

	private final String instanceId;

	private final int maxLength;

	private final long ttlMillis;

	private final ServerRun serverRun;

	private final ScriptPublish publish;

	/**
	 * @param publish how the append publishes; with sharded subscribers (Redis Cluster)
	 * it also tags entries with the run of the node that holds the stream, asked in the
	 * same step, since a cluster has one run per shard
	 */
	StreamStore(RedisGateway gateway, KeyLayout keys, RedisConnectionManagerOptions options, ServerRun serverRun,
			ScriptPublish publish) {
		this.serverRun = serverRun;
		this.publish = publish;
		this.gateway = gateway;
		this.keys = keys;
		this.instanceId = options.instanceId();
		this.maxLength = options.streamMaxLength();
		this.ttlMillis = options.streamTtl().toMillis();
	}

	int maxLength() {
		return this.maxLength;
	}

	/**
	 * Appends an entry and publishes it on a channel, in one step.
	 * @return the entry as stored
	 */
	StreamEntry append(String stream, String channel, String data, @Nullable String excludeUser) {
		String exclude = (excludeUser != null) ? excludeUser : "";
		// On a cluster the cached run is one node's: the script asks its own node.
		String run = this.publish.sharded() ? "" : this.serverRun.run();
		List<Object> reply = this.gateway.eval(LuaScripts.APPEND, new String[] { key(stream) },
				Integer.toString(this.maxLength), newEpoch(), data, exclude, scriptChannel(stream, channel),
				this.instanceId, stream, Long.toString(this.ttlMillis), run, this.publish.command(),
				this.publish.framePrefix());
		return new StreamEntry(stream, (String) reply.get(0), (String) reply.get(1), data, excludeUser);
	}

	/**
	 * Reads entries after an id.
	 * @param sinceId exclusive; {@code 0} or {@code 0-0} for the start
	 */
	List<StreamEntry> history(String stream, int count, String sinceId) {
		Range.Boundary<String> lower = ("0".equals(sinceId) || "0-0".equals(sinceId) || "-".equals(sinceId))
				? Range.Boundary.unbounded() : Range.Boundary.excluding(sinceId);
		List<io.lettuce.core.StreamMessage<String, String>> messages = this.gateway.await(this.gateway.async()
			.xrange(key(stream), Range.from(lower, Range.Boundary.unbounded()), Limit.from(count)), "history");
		List<StreamEntry> entries = new ArrayList<>(messages.size());
		for (io.lettuce.core.StreamMessage<String, String> message : messages) {
			Map<String, String> body = message.getBody();
			String data = body.get("data");
			if (data != null) {
				entries.add(new StreamEntry(stream, message.getId(), body.getOrDefault("epoch", ""), data,
						body.get("exclude")));
			}
		}
		return entries;
	}

	/**
	 * Reads every entry after a position, if the stream still holds it in the same epoch.
	 * @return the entries, or {@code null} when the position cannot be recovered
	 */
	@Nullable List<StreamEntry> readAfter(StreamPosition position) {
		return this.gateway.await(readAfterAsync(position), LuaScripts.READ_AFTER.name());
	}

	/**
	 * Reads every entry after a position without waiting.
	 * @see #readAfter(StreamPosition)
	 */
	CompletableFuture<@Nullable List<StreamEntry>> readAfterAsync(StreamPosition position) {
		return this.gateway
			.<List<Object>>evalAsync(LuaScripts.READ_AFTER, new String[] { key(position.stream()) }, position.id(),
					position.epoch(), Integer.toString(this.maxLength))
			.thenApply((reply) -> entries(position, reply));
	}

	private static @Nullable List<StreamEntry> entries(StreamPosition position, List<Object> reply) {
		if ((Long) reply.get(0) != 1) {
			return null;
		}
		List<?> tail = (List<?>) reply.get(1);
		List<StreamEntry> entries = new ArrayList<>(tail.size());
		for (Object item : tail) {
			List<?> entry = (List<?>) item;
			List<?> fields = (List<?>) entry.get(1);
			String data = null;
			String exclude = null;
			for (int i = 0; i + 1 < fields.size(); i += 2) {
				String name = (String) fields.get(i);
				if (name.equals("data")) {
					data = (String) fields.get(i + 1);
				}
				else if (name.equals("exclude")) {
					exclude = (String) fields.get(i + 1);
				}
			}
			if (data != null) {
				entries.add(new StreamEntry(position.stream(), (String) entry.get(0), position.epoch(), data, exclude));
			}
		}
		return entries;
	}

	// A broadcast stream's entries go on the broadcast channel in the stream's slot.
	private String scriptChannel(String stream, String channel) {
		return channel.equals(this.keys.broadcastChannel()) ? this.keys.broadcastChannelOf(stream) : channel;
	}

	/**
	 * Returns the key of a stream: a room's stream in the room's slot, a user's in the
	 * user's, so that the append and the publish on their channel touch one slot.
	 */
	private String key(String stream) {
		String room = StreamDelivery.roomOf(stream);
		if (room != null) {
			return this.keys.roomStream(room);
		}
		if (stream.startsWith(StreamDelivery.USER_STREAM_PREFIX)) {
			return this.keys.userStream(stream.substring(StreamDelivery.USER_STREAM_PREFIX.length()));
		}
		return this.keys.stream(stream);
	}

	private static String newEpoch() {
		return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE), 36);
	}

}
