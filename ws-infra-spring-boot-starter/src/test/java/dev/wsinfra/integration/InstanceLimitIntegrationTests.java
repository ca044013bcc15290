package dev.wsinfra.integration;

import java.net.URI;
import java.time.Duration;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-instance connection limit: handshakes beyond it are answered with 503, and room
 * comes back as connections close.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.max-connections-per-instance=2" })
class InstanceLimitIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void handshakeBeyondTheInstanceLimitIsAnswered503() throws Exception {
		URI uri = URI.create("ws://127.0.0.1:" + this.port + "/public/echo");
		try (WsTestClient first = WsTestClient.open(uri)) {
			first.nextText();
			try (WsTestClient second = WsTestClient.open(uri)) {
				second.nextText();
				assertThat(WsTestClient.to(uri).openRefused().statusCode()).isEqualTo(503);
			}
			// The slot is freed once the server has handled the close, a moment after the
			// client's close returns: until then a handshake is refused, and tried again.
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
				try (WsTestClient third = WsTestClient.open(uri)) {
					assertThat(third.nextText()).contains("hello");
				}
			});
		}
	}

}
