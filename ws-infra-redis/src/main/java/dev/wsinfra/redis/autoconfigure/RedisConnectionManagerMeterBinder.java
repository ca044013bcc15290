package dev.wsinfra.redis.autoconfigure;

import dev.wsinfra.redis.RedisConnectionManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the Redis-backed manager's meters, tagged with the instance:
 * {@code websocket.redis.messages.published}, {@code websocket.redis.messages.received},
 * {@code websocket.redis.messages.dropped}, {@code websocket.redis.recoveries} (tagged
 * {@code recovered}), {@code websocket.redis.recovery.replayed} and
 * {@code websocket.redis.subscriptions}.
 *
 * @since 0.1.0
 */
public final class RedisConnectionManagerMeterBinder implements MeterBinder {

	private final RedisConnectionManager manager;

	/**
	 * Creates a binder for a manager.
	 * @param manager the manager
	 */
	public RedisConnectionManagerMeterBinder(RedisConnectionManager manager) {
		this.manager = manager;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// the starter's instance tag: not "instance", which Prometheus gives the scraped
		// target
		Tags tags = Tags.of("instance.id", this.manager.instanceId());
		FunctionCounter
			.builder("websocket.redis.messages.published", this.manager, RedisConnectionManager::publishedMessageCount)
			.description("Messages published to Redis for other instances")
			.tags(tags)
			.register(registry);
		FunctionCounter
			.builder("websocket.redis.messages.received", this.manager, RedisConnectionManager::receivedMessageCount)
			.description("Messages received from Redis and delivered to local connections")
			.tags(tags)
			.register(registry);
		FunctionCounter
			.builder("websocket.redis.messages.dropped", this.manager, RedisConnectionManager::droppedMessageCount)
			.description("Messages from Redis dropped because too many waited for local delivery")
			.tags(tags)
			.register(registry);
		FunctionCounter.builder("websocket.redis.recoveries", this.manager, RedisConnectionManager::recoveryCount)
			.description("Connection state recoveries")
			.tags(tags.and("recovered", "true"))
			.register(registry);
		FunctionCounter.builder("websocket.redis.recoveries", this.manager, RedisConnectionManager::failedRecoveryCount)
			.description("Connection state recoveries")
			.tags(tags.and("recovered", "false"))
			.register(registry);
		FunctionCounter
			.builder("websocket.redis.recovery.replayed", this.manager, RedisConnectionManager::replayedMessageCount)
			.description("Messages replayed by connection state recoveries")
			.tags(tags)
			.register(registry);
		Gauge.builder("websocket.redis.subscriptions", this.manager, (manager) -> manager.subscribedChannels().size())
			.description("Redis channels this instance is subscribed to")
			.tags(tags)
			.register(registry);
	}

}
