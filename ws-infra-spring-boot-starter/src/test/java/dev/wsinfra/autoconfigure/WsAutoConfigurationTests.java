package dev.wsinfra.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.endpoint.WsConnectedEvent;
import dev.wsinfra.endpoint.WsDisconnectedEvent;
import dev.wsinfra.server.CloseStatuses;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.SlowConsumerPolicy;
import dev.wsinfra.test.RecordingWebSocketSession;
import dev.wsinfra.testsupport.Failures;
import dev.wsinfra.testsupport.StubDistributedManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class WsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class));

	private static void environmentVariables(ConfigurableApplicationContext context, String... pairs) {
		TestPropertyValues.of(pairs).applyTo(context.getEnvironment(), TestPropertyValues.Type.SYSTEM_ENVIRONMENT);
	}

	@Test
	void providesInMemoryConnectionManagerWithDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryConnectionManager.class)
				.hasSingleBean(ConnectionManagerSettings.class)
				.hasSingleBean(WebSocketConfig.class);
			assertThat(context.getBean(WebSocketConfig.class)).isEqualTo(WebSocketConfig.defaults());
			assertThat(context.getBean(InMemoryConnectionManager.class).settings().outboundQueueLimit())
				.isEqualTo(ConnectionManagerSettings.DEFAULT_OUTBOUND_QUEUE_LIMIT);
		});
	}

	@Test
	void connectionManagerBacksOffWhenUserDefinesOne() {
		InMemoryConnectionManager own = new InMemoryConnectionManager();
		this.contextRunner.withBean("ownManager", ConnectionManager.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(ConnectionManager.class);
			assertThat(context.getBean(ConnectionManager.class)).isSameAs(own);
			assertThat(context).hasSingleBean(ConnectionManagerSettings.class);
		});
	}

	@Test
	void settingsAndConfigBackOffWhenUserDefinesThem() {
		ConnectionManagerSettings settings = ConnectionManagerSettings.builder().outboundQueueLimit(3).build();
		WebSocketConfig config = WebSocketConfig.builder().maxQueueSize(3).build();
		this.contextRunner.withBean(ConnectionManagerSettings.class, () -> settings)
			.withBean(WebSocketConfig.class, () -> config)
			.run((context) -> {
				assertThat(context.getBean(ConnectionManagerSettings.class)).isSameAs(settings);
				assertThat(context.getBean(WebSocketConfig.class)).isSameAs(config);
				assertThat(context.getBean(InMemoryConnectionManager.class).settings()).isSameAs(settings);
			});
	}

	@Test
	void propertiesConfigureTheManager() {
		this.contextRunner
			.withPropertyValues("ws.outbound-queue-limit=5", "ws.slow-consumer-policy=drop-oldest",
					"ws.max-connections-per-user=4", "ws.close-timeout=2s")
			.run((context) -> {
				ConnectionManagerSettings settings = context.getBean(ConnectionManagerSettings.class);
				assertThat(settings.outboundQueueLimit()).isEqualTo(5);
				assertThat(settings.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP_OLDEST);
				assertThat(settings.maxConnectionsPerUser()).isEqualTo(4);
				assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void serverSettingsBindFromUnderscoredEnvironmentVariables() {
		this.contextRunner
			.withInitializer((context) -> environmentVariables(context, "WS_MAX_CONNECTIONS_PER_USER=5",
					"WS_OUTBOUND_QUEUE_LIMIT=64", "WS_SLOW_CONSUMER_POLICY=drop_oldest",
					"WS_MAX_CONNECTIONS_PER_INSTANCE=100", "WS_ALLOWED_ORIGINS=https://a.test,https://b.test",
					"WS_RECONNECT_MAX_ATTEMPTS=0", "WS_PING_INTERVAL=10"))
			.run((context) -> {
				WsProperties properties = context.getBean(WsProperties.class);
				assertThat(properties.maxConnectionsPerUser()).isEqualTo(5);
				assertThat(properties.outboundQueueLimit()).isEqualTo(64);
				assertThat(properties.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP_OLDEST);
				assertThat(properties.maxConnectionsPerInstance()).isEqualTo(100);
				assertThat(properties.allowedOrigins()).containsExactly("https://a.test", "https://b.test");
				assertThat(properties.reconnect().maxAttempts()).isZero();
				assertThat(properties.pingInterval()).isEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void badValueFailsStartUpNamingTheKey() {
		this.contextRunner.withPropertyValues("ws.max-queue-size=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessage("ws.max-queue-size must be greater than 0, was 0");
		});
		this.contextRunner.withPropertyValues("ws.ping-interval=soon").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(Failures.messages(context.getStartupFailure()))
				.contains("Failed to bind properties under 'ws.ping-interval'");
		});
	}

	@Test
	void instanceIdIsConfiguredGeneratedOrTheDistributedManagersOwn() {
		this.contextRunner.withPropertyValues("ws.instance-id=edge-1")
			.run((context) -> assertThat(context.getBean(InstanceId.class).value()).isEqualTo("edge-1"));
		this.contextRunner.run((context) -> assertThat(context.getBean(InstanceId.class).value()).isNotBlank());
		DistributedConnectionManager distributed = new StubDistributedManager("redis-node-7", true, Set.of());
		this.contextRunner.withPropertyValues("ws.instance-id=ignored")
			.withBean(DistributedConnectionManager.class, () -> distributed)
			.run((context) -> assertThat(context.getBean(InstanceId.class).value()).isEqualTo("redis-node-7"));
	}

	@Test
	void connectsAndDisconnectsArePublishedAsApplicationEvents() {
		List<ApplicationEvent> events = new ArrayList<>();
		this.contextRunner
			.withBean("recorder", ApplicationListener.class, () -> (ApplicationListener<ApplicationEvent>) (event) -> {
				if (event instanceof WsConnectedEvent || event instanceof WsDisconnectedEvent) {
					events.add(event);
				}
			})
			.run((context) -> {
				ConnectionManager manager = context.getBean(ConnectionManager.class);
				RecordingWebSocketSession session = new RecordingWebSocketSession("s1");
				manager.connect("alice", session);
				session.close();
				manager.disconnect("alice", session, CloseStatuses.NORMAL);
				assertThat(events).hasSize(2);
				assertThat(events.get(0)).isInstanceOfSatisfying(WsConnectedEvent.class,
						(event) -> assertThat(event.getUserId()).isEqualTo("alice"));
				assertThat(events.get(1)).isInstanceOfSatisfying(WsDisconnectedEvent.class,
						(event) -> assertThat(event.getCloseStatus()).isEqualTo(CloseStatuses.NORMAL));
			});
	}

}
