package dev.wsinfra.redis.autoconfigure;

import dev.wsinfra.redis.RedisConnectionManager;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the Redis-backed connection manager, bound to the application's
 * registry when Micrometer is present.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsRedisAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(RedisConnectionManager.class)
public final class WsRedisMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisConnectionManagerMeterBinder redisConnectionManagerMeterBinder(RedisConnectionManager manager) {
		return new RedisConnectionManagerMeterBinder(manager);
	}

}
