package dev.wsinfra.autoconfigure.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;

class WsMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsMetricsAutoConfiguration.class));

	@Test // #14
	void registersMetersTaggedWithTheInstanceThatFollowTheConnections() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ws.instance-id=metered-1")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance.id", "metered-1").counter().count())
					.isZero();
				assertThat(registry.get(WsMetrics.CONNECTIONS_ACTIVE).tag("instance.id", "metered-1").gauge().value())
					.isZero();
				assertThat(registry.get(WsMetrics.MESSAGES_DROPPED)
					.tag("instance.id", "metered-1")
					.functionCounter()
					.count()).isZero();
				ConnectionManager manager = context.getBean(ConnectionManager.class);
				RecordingWebSocketSession session = new RecordingWebSocketSession("s1");
				manager.connect("alice", session);
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance.id", "metered-1").counter().count())
					.isOne();
				assertThat(registry.get(WsMetrics.CONNECTIONS_ACTIVE).tag("instance.id", "metered-1").gauge().value())
					.isOne();
				manager.disconnect("alice", session);
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance.id", "metered-1").counter().count())
					.isOne();
				assertThat(registry.get(WsMetrics.CONNECTIONS_ACTIVE).tag("instance.id", "metered-1").gauge().value())
					.isZero();
			});
	}

	@Test // #12
	void messagesDroppedForASlowConsumerAreCounted() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ws.slow-consumer-policy=drop-oldest", "ws.outbound-queue-limit=1")
			.run((context) -> {
				ConnectionManager manager = context.getBean(ConnectionManager.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				StalledSession stalled = new StalledSession();
				try {
					manager.connect("slow", stalled);
					manager.sendToUser("slow", "written, and stuck in the write");
					assertThat(stalled.writing.await(10, TimeUnit.SECONDS)).isTrue();
					for (int i = 1; i <= 4; i++) {
						manager.sendToUser("slow", "queued " + i);
					}
					// one queued at a time: each of the last three pushed out the one
					// before
					assertThat(registry.get(WsMetrics.MESSAGES_DROPPED).functionCounter().count()).isEqualTo(3);
				}
				finally {
					stalled.release.countDown();
				}
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
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance.id", "node-42").counter().count())
					.isZero();
				ConnectionManager manager = context.getBean(ConnectionManager.class);
				manager.connect("alice", new RecordingWebSocketSession("s1"));
				assertThat(registry.get(WsMetrics.CONNECTIONS_TOTAL).tag("instance.id", "node-42").counter().count())
					.isOne();
				double before = registry.get(WsMetrics.MESSAGES_SENT)
					.tags("instance.id", "node-42", "type", "broadcast")
					.counter()
					.count();
				manager.broadcast("x");
				assertThat(distributed.broadcasts()).containsExactly("x");
				assertThat(registry.get(WsMetrics.MESSAGES_SENT)
					.tags("instance.id", "node-42", "type", "broadcast")
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

	/** A session whose first write blocks until it is released. */
	static final class StalledSession extends RecordingWebSocketSession {

		final CountDownLatch writing = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			this.writing.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			super.sendMessage(message);
		}

	}

	private static double sentAfter(MeterRegistry registry, String type, Runnable action) {
		Counter counter = registry.get(WsMetrics.MESSAGES_SENT).tag("type", type).counter();
		double before = counter.count();
		action.run();
		return counter.count() - before;
	}

}
