package dev.wsinfra.autoconfigure.health;

import java.util.Set;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.testsupport.StubDistributedManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class WsHealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsHealthAutoConfiguration.class))
		.withPropertyValues("ws.instance-id=healthy-1");

	@Test
	void reportsLocalStateOfTheInMemoryManager() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean("websocketHealthIndicator", WebSocketHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("instanceId", "healthy-1")
				.containsEntry("localConnections", 0)
				.containsEntry("localUsers", 0)
				.containsEntry("localRooms", 0)
				.doesNotContainKey("backendConnected");
		});
	}

	@Test
	void reportsBackendAndGlobalUsersOfADistributedManager() {
		DistributedConnectionManager up = new StubDistributedManager("node-1", true, Set.of("a", "b"));
		this.contextRunner.withBean(DistributedConnectionManager.class, () -> up).run((context) -> {
			Health health = context.getBean(WebSocketHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("instanceId", "node-1")
				.containsEntry("backendConnected", true)
				.containsEntry("globalOnlineUsers", 2L);
		});
		DistributedConnectionManager down = new StubDistributedManager("node-2", false, Set.of());
		this.contextRunner.withBean(DistributedConnectionManager.class, () -> down).run((context) -> {
			Health health = context.getBean(WebSocketHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("backendConnected", false);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.websocket.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WebSocketHealthIndicator.class));
	}

}
