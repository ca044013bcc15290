package dev.wsinfra.redis.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.RedisConnectionManagerOptions;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's conditions and properties, without a Redis server: none of
 * these contexts creates the manager.
 */
class WsRedisAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(DataRedisAutoConfiguration.class, WsRedisAutoConfiguration.class, WsRedisMetricsAutoConfiguration.class));

	@Test
	void redisManagerIsOffByDefault() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(RedisConnectionManager.class);
			assertThat(context).doesNotHaveBean(WsRedisProperties.class);
			assertThat(context).doesNotHaveBean(RedisConnectionManagerMeterBinder.class);
		});
	}

	@Test
	void redisManagerBacksOffWhenTheApplicationDefinesAConnectionManager() {
		this.runner.withPropertyValues("ws.redis.enabled=true")
			.withBean(ConnectionManager.class, InMemoryConnectionManager::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(ConnectionManager.class);
				assertThat(context).doesNotHaveBean(RedisConnectionManager.class);
				assertThat(context).doesNotHaveBean(RedisConnectionManagerMeterBinder.class);
			});
	}

	@Test
	void seedStyleEnvironmentVariablesBind() {
		this.runner.withBean(ConnectionManager.class, InMemoryConnectionManager::new)
			.withInitializer((context) -> TestPropertyValues
				.of("WS_REDIS_ENABLED=true", "WS_REDIS_KEY_PREFIX=app:", "WS_REDIS_PRESENCE_TTL=30",
						"WS_REDIS_PRESENCE_GRACE_PERIOD=5", "WS_REDIS_STREAM_MAX_LENGTH=500",
						"WS_REDIS_STREAM_MAX_RECOVERY_POSITIONS=4", "WS_REDIS_INSTANCE_ID=pod-1")
				.applyTo(context.getEnvironment(), TestPropertyValues.Type.SYSTEM_ENVIRONMENT))
			.run((context) -> {
				RedisConnectionManagerOptions options = context.getBean(WsRedisProperties.class).toOptions();
				assertThat(options.keyPrefix()).isEqualTo("app:");
				assertThat(options.presenceTtl()).isEqualTo(Duration.ofSeconds(30));
				assertThat(options.presenceGracePeriod()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.streamMaxLength()).isEqualTo(500);
				assertThat(options.maxRecoveryPositions()).isEqualTo(4);
				assertThat(options.instanceId()).isEqualTo("pod-1");
			});
	}

	@Test
	void propertyDefaultsMatchTheOptionDefaults() {
		this.runner.withPropertyValues("ws.redis.enabled=true", "ws.redis.instance-id=x")
			.withBean(ConnectionManager.class, InMemoryConnectionManager::new)
			.run((context) -> {
				RedisConnectionManagerOptions bound = context.getBean(WsRedisProperties.class).toOptions();
				RedisConnectionManagerOptions defaults = RedisConnectionManagerOptions.builder()
					.instanceId("x")
					.build();
				assertThat(bound).hasToString(defaults.toString());
			});
	}

	@Test
	void aConnectionFactoryThatIsNotLettuceFailsNamingIt() {
		this.runner.withPropertyValues("ws.redis.enabled=true")
			.withBean(RedisConnectionFactory.class, NotLettuce::new)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("ws.redis.enabled=true needs Lettuce")
				.hasMessageContaining(NotLettuce.class.getName()));
	}

	@Test
	void everyBeanBacksOffForTheApplications() {
		for (Class<?> configuration : List.of(WsRedisAutoConfiguration.class, WsRedisMetricsAutoConfiguration.class)) {
			for (Method method : configuration.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Bean.class)) {
					assertThat(method.isAnnotationPresent(ConditionalOnMissingBean.class))
						.as("%s.%s has @ConditionalOnMissingBean", configuration.getSimpleName(), method.getName())
						.isTrue();
				}
			}
		}
	}

	static final class NotLettuce implements RedisConnectionFactory {

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return false;
		}

		@Override
		public RedisConnection getConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return null;
		}

	}

}
