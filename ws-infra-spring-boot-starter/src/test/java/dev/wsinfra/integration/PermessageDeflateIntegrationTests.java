package dev.wsinfra.integration;

import java.time.Duration;
import java.util.Map;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * permessage-deflate end to end: the server with {@code ws.permessage-deflate=true} and
 * the library's client offering it negotiate the extension, large compressible messages
 * round-trip, and the size limits hold on the inflated messages, both ways.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.permessage-deflate=true", "ws.max-message-size=256KB",
				"ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.auth.jwt.issuer-uri=" + TestTokens.ISSUER,
				"ws.auth.jwt.audiences=" + TestTokens.AUDIENCE })
class PermessageDeflateIntegrationTests {

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder().pingInterval(Duration.ZERO).build();

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	private WebSocketClient.Builder client(String path) {
		return WebSocketClient.builder("ws://127.0.0.1:" + this.port + path).config(CONFIG).permessageDeflate(true);
	}

	@Test // #14
	void theClientAndTheServerNegotiateDeflateAndALargeCompressibleMessageRoundTrips() {
		try (WebSocketClient client = client("/public/echo").open()) {
			assertThat(client.extensions()).containsExactly("permessage-deflate");
			assertThat(client.recvJson().path("type").asString()).isEqualTo("hello");
			String large = "price ACME 42.00 at 12:00:00; ".repeat(7_500);
			assertThat(large.length()).isGreaterThan(200 * 1024);
			client.send(large);
			String echoed = client.recv().text();
			assertThat(echoed.equals(large)).as("echo of %d characters, %d back", large.length(), echoed.length())
				.isTrue();
			client.send("small after large");
			assertThat(client.recv().text()).isEqualTo("small after large");
		}
	}

	@Test // #14
	void theServerAnswersTheExtensionOnlyToAClientThatOffersIt() throws Exception {
		try (WebSocketClient plain = WebSocketClient.builder("ws://127.0.0.1:" + this.port + "/public/echo")
			.config(CONFIG)
			.open()) {
			assertThat(plain.extensions()).isEmpty();
			assertThat(plain.recvJson().path("type").asString()).isEqualTo("hello");
		}
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/public/echo",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
			assertThat(raw.status()).isEqualTo(101);
			assertThat(raw.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
		}
	}

	@Test // #14
	void aMessageThatInflatesBeyondTheServersLimitIsClosedWith1009() {
		try (WebSocketClient client = client("/public/echo").open()) {
			client.recvJson();
			// A few kilobytes on the wire, 300 KB once inflated.
			client.send("z".repeat(300 * 1024));
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1009));
		}
	}

	@Test // #14
	void aMessageThatInflatesBeyondTheClientsLimitIsRefusedWith1009() {
		WebSocketConfig small = CONFIG.toBuilder().maxMessageSize(64 * 1024).build();
		try (WebSocketClient client = client("/user/echo").config(small)
			.header("Authorization", "Bearer " + TestTokens.user("inflated").sign())
			.open()) {
			client.recvJson();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.isUserConnected("inflated"));
			this.manager.sendToUser("inflated", "within the limit");
			assertThat(client.recv().text()).isEqualTo("within the limit");
			this.manager.sendToUser("inflated", "b".repeat(200 * 1024));
			assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(client::recv).satisfies((ex) -> {
				assertThat(ex.limit()).isEqualTo(64 * 1024);
				assertThat(ex.size()).isEqualTo(200 * 1024);
			});
			assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(client::recv)
				.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1009));
		}
	}

}
