package dev.wsinfra.redis.autoconfigure;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.ConnectionManagerSettings;
import io.lettuce.core.RedisClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of the Redis-backed {@link ConnectionManager}, when
 * {@code ws.redis.enabled=true}. It runs before ws-infra's core auto-configuration, whose
 * in-memory manager then backs off, and after Spring Boot's Redis auto-configuration,
 * whose Lettuce connection factory it uses.
 *
 * @since 0.1.0
 */
@AutoConfiguration(beforeName = "dev.wsinfra.autoconfigure.WsAutoConfiguration",
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ RedisClient.class, LettuceConnectionFactory.class })
@ConditionalOnBooleanProperty("ws.redis.enabled")
@EnableConfigurationProperties(WsRedisProperties.class)
public final class WsRedisAutoConfiguration {

	/**
	 * Name of the starter's instance id property, used when {@code ws.redis.instance-id}
	 * is not set.
	 */
	static final String INSTANCE_ID_PROPERTY = "ws.instance-id";

	@Bean
	@ConditionalOnMissingBean(ConnectionManager.class)
	RedisConnectionManager redisConnectionManager(WsRedisProperties properties,
			ObjectProvider<ConnectionManagerSettings> settings, ObjectProvider<JsonMapper> jsonMapper,
			RedisConnectionFactory connectionFactory, Environment environment) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException("ws.redis.enabled=true needs Lettuce; the RedisConnectionFactory is a "
					+ connectionFactory.getClass().getName());
		}
		return new RedisConnectionManager(lettuce, settings.getIfAvailable(ConnectionManagerSettings::defaults),
				jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
				properties.toOptions(environment.getProperty(INSTANCE_ID_PROPERTY)));
	}

}
