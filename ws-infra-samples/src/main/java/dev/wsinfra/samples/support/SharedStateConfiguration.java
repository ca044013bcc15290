package dev.wsinfra.samples.support;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The examples' {@link SharedState} and {@link Leadership}: in memory by default, in
 * Redis with {@code ws.redis.enabled=true}, under {@code samples.redis.key-prefix}.
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "ws.redis.enabled", havingValue = false, matchIfMissing = true)
	static class InMemory {

		@Bean
		SharedState sharedState() {
			return new InMemorySharedState();
		}

		@Bean
		Leadership leadership() {
			return Leadership.alone();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("ws.redis.enabled")
	static class Redis {

		@Bean
		SharedState sharedState(StringRedisTemplate redis, JsonMapper jsonMapper,
				@Value("${samples.redis.key-prefix:samples:}") String prefix) {
			return new RedisSharedState(redis, jsonMapper, prefix);
		}

		@Bean
		Leadership leadership(StringRedisTemplate redis, ConnectionManager manager,
				@Value("${samples.redis.key-prefix:samples:}") String prefix) {
			if (!(manager instanceof DistributedConnectionManager distributed)) {
				throw new IllegalStateException(
						"ws.redis.enabled=true but the ConnectionManager is a " + manager.getClass().getName());
			}
			return new RedisLeadership(redis, prefix, distributed);
		}

	}

}
