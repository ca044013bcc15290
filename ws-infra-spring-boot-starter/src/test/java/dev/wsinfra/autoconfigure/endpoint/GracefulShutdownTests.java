package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;

import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.server.InMemoryConnectionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulShutdownTests {

	private final InMemoryConnectionManager manager = new InMemoryConnectionManager();

	private final EndpointSessions sessions = new EndpointSessions(this.manager, EndpointObserver.NONE, 0,
			Duration.ofSeconds(1), null, Duration.ofSeconds(1));

	private final GracefulShutdown shutdown = new GracefulShutdown(this.sessions,
			GracefulShutdown.ShutdownPlan.of(Duration.ZERO, 10, Duration.ofSeconds(1), Duration.ofSeconds(4)));

	@AfterEach
	void close() throws Exception {
		this.sessions.destroy();
		this.manager.close();
	}

	@Test
	void startAfterStopAcceptsHandshakesAgain() {
		// #4
		this.shutdown.start();
		this.shutdown.stop();
		assertThat(this.sessions.isShuttingDown()).isTrue();
		assertThat(this.shutdown.isRunning()).isFalse();
		this.shutdown.start();
		assertThat(this.sessions.isShuttingDown()).isFalse();
		assertThat(this.shutdown.isRunning()).isTrue();
	}

}
