package dev.wsinfra.autoconfigure.metrics;

import java.util.Set;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.testsupport.StubDistributedManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class WsMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsMetricsAutoConfiguration.class));

	@Test
	void registersMetersTaggedWithTheInstance() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ws.instance-id=metered-1")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance", "metered-1").counter().count())
					.isZero();
				assertThat(registry.get(WsMetrics.CONNECTIONS_ACTIVE).gauge().value()).isZero();
				assertThat(registry.find(WsMetrics.MESSAGES_DROPPED).functionCounter()).isNotNull();
			});
	}

	@Test
	void sendsOfTheManagerAreCountedByTypeAndTheBeanKeepsItsType() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(InMemoryConnectionManager.class);
			ConnectionManager manager = context.getBean(ConnectionManager.class);
			manager.broadcast("hello");
			manager.broadcastToRoom("lobby", "hello");
			manager.sendToUser("nobody", "hello");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(WsMetrics.MESSAGES_SENT).tag("type", "broadcast").counter().count()).isOne();
			assertThat(registry.get(WsMetrics.MESSAGES_SENT).tag("type", "room").counter().count()).isOne();
			assertThat(registry.get(WsMetrics.MESSAGES_SENT).tag("type", "user").counter().count()).isOne();
			assertThat(registry.get(WsMetrics.MESSAGE_PROCESSING).tag("type", "broadcast").timer().count()).isOne();
		});
	}

	@Test
	void distributedManagerGivesTheInstanceTag() {
		StubDistributedManager distributed = new StubDistributedManager("node-42", true, Set.of());
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(DistributedConnectionManager.class, () -> distributed)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance", "node-42").counter()).isNotNull();
				context.getBean(ConnectionManager.class).broadcast("x");
				assertThat(distributed.broadcasts()).containsExactly("x");
				assertThat(registry.get(WsMetrics.MESSAGES_SENT).tag("instance", "node-42").counter().count()).isOne();
			});
	}

	@Test
	void backsOffWithoutMeterRegistryBeanOrMicrometer() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WsMetrics.class));
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WsMetrics.class));
	}

}
