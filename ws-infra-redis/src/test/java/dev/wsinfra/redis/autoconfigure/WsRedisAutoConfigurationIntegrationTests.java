package dev.wsinfra.redis.autoconfigure;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.ConnectionManagerSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration against a real Redis: the manager is the application's
 * {@link ConnectionManager}, runs with the context, uses the application's settings and
 * mapper, binds its meters, and leaves Redis clean when the context closes.
 */
class WsRedisAutoConfigurationIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WsRedisAutoConfiguration.class,
				WsRedisMetricsAutoConfiguration.class))
		.withPropertyValues("ws.redis.enabled=true", "ws.redis.key-prefix=ac:", "ws.redis.instance-id=ac-1",
				"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port());

	@Test
	void theRedisManagerIsTheConnectionManagerAndRunsWithTheContext() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionManager.class);
			RedisConnectionManager manager = context.getBean(RedisConnectionManager.class);
			assertThat(manager.isRunning()).isTrue();
			assertThat(manager.instanceId()).isEqualTo("ac-1");
			assertThat(manager.isBackendAvailable()).isTrue();
			assertThat(manager.settings()).isSameAs(ConnectionManagerSettings.defaults());
			assertThat(instances()).contains("ac-1");
		});
		assertThat(instances()).doesNotContain("ac-1");
	}

	@Test
	void theStartersInstanceIdIsUsedWhenTheRedisOneIsNotSet() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WsRedisAutoConfiguration.class))
			.withPropertyValues("ws.redis.enabled=true", "ws.redis.key-prefix=ac2:", "ws.instance-id=pod-7",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port())
			.run((context) -> assertThat(context.getBean(RedisConnectionManager.class).instanceId())
				.isEqualTo("pod-7"));
		this.runner.withPropertyValues("ws.instance-id=pod-8")
			.run((context) -> assertThat(context.getBean(RedisConnectionManager.class).instanceId()).isEqualTo("ac-1"));
	}

	@Test
	void theApplicationsSettingsAndMapperAreUsed() {
		ConnectionManagerSettings settings = ConnectionManagerSettings.builder().maxConnectionsPerUser(3).build();
		this.runner.withBean(ConnectionManagerSettings.class, () -> settings)
			.withBean(JsonMapper.class, () -> JsonMapper.builder().build())
			.run((context) -> assertThat(context.getBean(RedisConnectionManager.class).settings()).isSameAs(settings));
	}

	@Test
	void metersAreBoundWithTheInstanceTag() {
		this.runner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(RedisConnectionManagerMeterBinder.class).bindTo(registry);
			RedisConnectionManager manager = context.getBean(RedisConnectionManager.class);
			manager.broadcast("counted");

			assertThat(registry.get("websocket.redis.messages.published")
				.tag("instance.id", "ac-1")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("websocket.redis.messages.received").functionCounter().count()).isZero();
			assertThat(registry.get("websocket.redis.messages.dropped").functionCounter().count()).isZero();
			assertThat(registry.get("websocket.redis.recoveries").tag("recovered", "true").functionCounter().count())
				.isZero();
			assertThat(registry.get("websocket.redis.recoveries").tag("recovered", "false").functionCounter())
				.isNotNull();
			assertThat(registry.get("websocket.redis.recovery.replayed").functionCounter()).isNotNull();
			// The broadcast channel and the channel acknowledging its room joins.
			assertThat(registry.get("websocket.redis.subscriptions").gauge().value()).isEqualTo(2);
		});
	}

	private static java.util.Set<String> instances() {
		RedisClient client = RedisClient.create(redis.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().smembers("ac:instances");
		}
		finally {
			client.shutdown();
		}
	}

}
