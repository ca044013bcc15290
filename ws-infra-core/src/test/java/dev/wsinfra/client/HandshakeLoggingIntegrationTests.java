package dev.wsinfra.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.testsupport.TomcatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tyrus logs each handshake at its finest levels, request line and headers included: what
 * it logs for the client's connections carries neither the query string nor the values of
 * headers such as {@code Authorization}, which hold credentials.
 */
class HandshakeLoggingIntegrationTests {

	private static final String SECRET = "secret-4f7a1c";

	private final Logger tyrus = Logger.getLogger("org.glassfish.tyrus");

	private final List<String> records = new CopyOnWriteArrayList<>();

	private final Handler capture = new Handler() {

		@Override
		public void publish(LogRecord record) {
			HandshakeLoggingIntegrationTests.this.records.add(record.getLoggerName() + ": " + record.getMessage());
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private Level previousLevel;

	private TomcatServer server;

	@BeforeEach
	void captureTyrusLogs() throws Exception {
		this.server = TomcatServer.start(new ServerHandler(), "/ws");
		this.previousLevel = this.tyrus.getLevel();
		this.tyrus.setLevel(Level.ALL);
		this.capture.setLevel(Level.ALL);
		this.tyrus.addHandler(this.capture);
	}

	@AfterEach
	void restore() throws Exception {
		this.tyrus.removeHandler(this.capture);
		this.tyrus.setLevel(this.previousLevel);
		this.server.close();
	}

	@Test
	void handshakeLogsCarryNoQueryAndNoHeaderValues() {
		WebSocketConfig config = WebSocketConfig.builder()
			.pingInterval(null)
			.openTimeout(Duration.ofSeconds(20))
			.build();
		try (WebSocketClient client = WebSocketClient.builder(this.server.uri("/ws?key=" + SECRET))
			.config(config)
			.header("Authorization", "Bearer " + SECRET)
			.header("X-Api-Key", SECRET)
			.open()) {
			client.send("hello");
			assertThat(client.recv().text()).isEqualTo("hello");
		}
		assertThat(this.records).anyMatch((record) -> record.contains("handshake request"));
		assertThat(this.records).anyMatch((record) -> record.contains("Authorization"));
		assertThat(this.records).noneMatch((record) -> record.contains(SECRET));
	}

}
