package dev.wsinfra.autoconfigure.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.testsupport.StubDistributedManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class WsHealthAutoConfigurationTests {

	private static final Status DEGRADED = new Status("DEGRADED");

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
	}

	@Test // #11
	void reportsWhatIsDegradedAndSinceWhenWhileTheBackendIsUnreachable() {
		DistributedConnectionManager down = new StubDistributedManager("node-2", false, Set.of());
		this.contextRunner.withBean(DistributedConnectionManager.class, () -> down).run((context) -> {
			Health health = context.getBean(WebSocketHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(DEGRADED);
			assertThat(health.getDetails()).containsEntry("backendConnected", false)
				.containsKeys("backendUnreachableSince", "backendCheckedAt")
				.doesNotContainKey("globalOnlineUsers");
			assertThat(health.getDetails().get("degraded").toString()).startsWith("backend unreachable since ");
		});
	}

	@Test // #11
	void answersWithinABoundedTimeAndAsksOnceWhileTheBackendDoesNotAnswer() {
		CountDownLatch answer = new CountDownLatch(1);
		AtomicInteger questions = new AtomicInteger();
		DistributedConnectionManager stalled = new StubDistributedManager("node-3", true, Set.of()) {

			@Override
			public boolean isBackendAvailable() {
				questions.incrementAndGet();
				try {
					answer.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return false;
			}

		};
		this.contextRunner.withBean(DistributedConnectionManager.class, () -> stalled).run((context) -> {
			WebSocketHealthIndicator indicator = context.getBean(WebSocketHealthIndicator.class);
			ExecutorService callers = Executors.newFixedThreadPool(20);
			try {
				List<Health> answers = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
					List<Future<Health>> calls = new ArrayList<>();
					for (int i = 0; i < 40; i++) {
						calls.add(callers.submit((Callable<Health>) indicator::health));
					}
					List<Health> healths = new ArrayList<>();
					for (Future<Health> call : calls) {
						healths.add(call.get());
					}
					return healths;
				});
				assertThat(answers).allSatisfy((health) -> {
					assertThat(health.getStatus()).isEqualTo(DEGRADED);
					assertThat(health.getDetails()).containsEntry("backendConnected", false);
				});
				assertThat(questions).hasValue(1);
			}
			finally {
				answer.countDown();
				callers.shutdownNow();
			}
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.websocket.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WebSocketHealthIndicator.class));
	}

}
