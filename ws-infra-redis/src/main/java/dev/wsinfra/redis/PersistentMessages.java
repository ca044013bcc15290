package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.redis.internal.Payload;
import dev.wsinfra.redis.internal.StreamEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * Persistent messages on a running manager: each is appended to its stream and published
 * on the channel of its targets in one step (a broadcast stream's entries go to every
 * instance, a room's and a user's to the instances holding their members); the streams
 * are read back for history and replays.
 */
final class PersistentMessages {

	private final ManagerContext context;

	private final RedisBackend backend;

	private final ClusterSends cluster;

	PersistentMessages(ManagerContext context, RedisBackend backend, ClusterSends cluster) {
		this.context = context;
		this.backend = backend;
		this.cluster = cluster;
	}

	StreamPosition broadcast(Object message, String stream) {
		if (stream.isEmpty() || stream.startsWith(StreamDelivery.ROOM_STREAM_PREFIX)
				|| stream.startsWith(StreamDelivery.USER_STREAM_PREFIX)) {
			throw new IllegalArgumentException(
					"A broadcast stream key must not be empty nor start with room: or user:, was '" + stream + "'");
		}
		return append(stream, this.backend.keys.broadcastChannel(), message, null);
	}

	StreamPosition toRoom(String room, Object message, @Nullable String excludeUser) {
		return append(StreamDelivery.ROOM_STREAM_PREFIX + room, this.backend.keys.roomChannel(room), message,
				excludeUser);
	}

	StreamPosition toUser(String userId, Object message) {
		return append(StreamDelivery.USER_STREAM_PREFIX + userId, this.backend.keys.userChannel(userId), message, null);
	}

	/**
	 * Appends and publishes in one step.
	 * @throws DataAccessException when Redis cannot store it, which marks it unavailable
	 */
	private StreamPosition append(String stream, String channel, Object message, @Nullable String excludeUser) {
		String data = Payload.toStreamData(message, this.context.jsonMapper());
		try {
			StreamEntry entry = this.backend.streams.append(stream, channel, data, excludeUser);
			this.context.statistics().published.incrementAndGet();
			return new StreamPosition(stream, entry.epoch(), entry.id());
		}
		catch (DataAccessException ex) {
			this.context.health().unavailable(ex);
			throw ex;
		}
	}

	List<StreamMessage> history(String stream, int count, String sinceId) {
		List<StreamMessage> messages = new ArrayList<>();
		for (StreamEntry entry : this.backend.streams.history(stream, count, sinceId)) {
			StreamPosition position = StreamDelivery.position(entry);
			if (position != null) {
				messages.add(new StreamMessage(entry.id(), position, this.context.envelopes().data(entry.data()),
						entry.excludeUser()));
			}
		}
		return messages;
	}

	/**
	 * Sends a user what followed an id in a stream, less what excluded them, as replay
	 * frames.
	 * @return the number of frames sent
	 */
	int replay(String userId, String stream, String sinceId) {
		int replayed = 0;
		for (StreamEntry entry : this.backend.streams.history(stream, this.context.options().streamMaxLength(),
				sinceId)) {
			StreamPosition position = StreamDelivery.position(entry);
			if (position != null && !userId.equals(entry.excludeUser())) {
				String frame = this.context.envelopes().streamFrame("replay", entry, position.token());
				this.cluster.toUser(userId, Payload.text(frame));
				replayed++;
			}
		}
		return replayed;
	}

}
