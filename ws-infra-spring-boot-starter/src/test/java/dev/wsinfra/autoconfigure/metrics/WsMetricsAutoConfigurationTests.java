package dev.wsinfra.autoconfigure.metrics;

import java.nio.ByteBuffer;
import java.util.Set;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.test.RecordingWebSocketSession;
import dev.wsinfra.testsupport.StubDistributedManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.socket.PingMessage;

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

	@Test // #12
	void messagesQueuedOnConnectionsAreCountedByTypeOncePerConnection() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(InMemoryConnectionManager.class);
			ConnectionManager manager = context.getBean(ConnectionManager.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			RecordingWebSocketSession phone = new RecordingWebSocketSession("phone");
			manager.connect("alice", phone);
			manager.connect("alice", new RecordingWebSocketSession("laptop"));
			manager.connect("bob", new RecordingWebSocketSession("desktop"));
			manager.joinRoom("bob", "lobby");
			assertThat(sentAfter(registry, "user", () -> manager.sendToUser("alice", "hello"))).isEqualTo(2);
			assertThat(sentAfter(registry, "broadcast", () -> manager.broadcast("hello"))).isEqualTo(3);
			assertThat(sentAfter(registry, "broadcast", () -> manager.broadcast("hello", "alice"))).isEqualTo(1);
			assertThat(sentAfter(registry, "room", () -> manager.broadcastToRoom("lobby", "hello"))).isEqualTo(1);
			assertThat(sentAfter(registry, "direct", () -> manager.send(phone, "hello"))).isEqualTo(1);
			assertThat(sentAfter(registry, "user", () -> manager.sendToUser("nobody", "hello"))).isZero();
			assertThat(sentAfter(registry, "direct",
					() -> manager.send(phone, new PingMessage(ByteBuffer.wrap(new byte[] { 1 })))))
				.isZero();
		});
	}

	@Test // #12
	void distributedManagerGivesTheInstanceTagAndReportsItsSends() {
		StubDistributedManager distributed = new StubDistributedManager("node-42", true, Set.of());
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(DistributedConnectionManager.class, () -> distributed)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance", "node-42").counter().count())
					.isZero();
				ConnectionManager manager = context.getBean(ConnectionManager.class);
				manager.connect("alice", new RecordingWebSocketSession("s1"));
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance", "node-42").counter().count())
					.isOne();
				double before = registry.get(WsMetrics.MESSAGES_SENT)
					.tags("instance", "node-42", "type", "broadcast")
					.counter()
					.count();
				manager.broadcast("x");
				assertThat(distributed.broadcasts()).containsExactly("x");
				assertThat(registry.get(WsMetrics.MESSAGES_SENT)
					.tags("instance", "node-42", "type", "broadcast")
					.counter()
					.count()).isEqualTo(before + 1);
			});
	}

	@Test
	void backsOffWithoutMeterRegistryBeanOrMicrometer() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WsMetrics.class));
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WsMetrics.class));
	}

	private static double sentAfter(MeterRegistry registry, String type, Runnable action) {
		Counter counter = registry.get(WsMetrics.MESSAGES_SENT).tag("type", type).counter();
		double before = counter.count();
		action.run();
		return counter.count() - before;
	}

}
