package dev.wsinfra.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.server.CloseStatuses;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.test.RecordingWebSocketSession;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session has one connection id everywhere: the one {@code connect} returns is the one
 * presence, the connection events and the local manager's log lines name.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionIdIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisClient client = RedisClient.create(redis.url());

	private final RedisConnectionManager manager = new RedisConnectionManager(this.client,
			ConnectionManagerSettings.builder().outboundQueueLimit(2).build(), JsonMapper.builder().build(),
			RedisConnectionManagerOptions.builder().keyPrefix("ids:").build());

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.manager.stop();
		this.client.shutdown();
	}

	@Test // #13
	void aSlowConsumerIsLoggedUnderTheIdThatPresenceAndTheEventsUse(CapturedOutput output) {
		this.manager.start();
		List<String> disconnected = new CopyOnWriteArrayList<>();
		this.manager.onDisconnect((event) -> disconnected.add(event.connectionId()));
		StalledSession session = new StalledSession(this.release);

		String id = this.manager.connect("slow", session);
		assertThat(this.manager.getUserPresence("slow").orElseThrow().connections()).singleElement()
			.satisfies((connection) -> assertThat(connection.connectionId()).isEqualTo(id));
		assertThat(this.manager.getUserConnections("slow")).singleElement()
			.satisfies((info) -> assertThat(info.connectionId()).isEqualTo(id));
		for (int i = 0; i < 10 && session.isOpen(); i++) {
			this.manager.sendToUser("slow", "message " + i);
		}

		await().atMost(WAIT).until(() -> session.closeStatuses().contains(CloseStatuses.SLOW_CONSUMER));
		await().atMost(WAIT).until(() -> disconnected.contains(id));
		assertThat(output).contains("Closing connection " + id + " of user slow with 1013");
	}

	/**
	 * A session whose first write blocks until released, like a peer that stopped
	 * reading.
	 */
	private static final class StalledSession extends RecordingWebSocketSession {

		private final CountDownLatch release;

		StalledSession(CountDownLatch release) {
			this.release = release;
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			try {
				this.release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			super.sendMessage(message);
		}

	}

}
