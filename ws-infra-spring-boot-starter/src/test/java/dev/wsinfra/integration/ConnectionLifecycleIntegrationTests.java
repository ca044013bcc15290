package dev.wsinfra.integration;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * What happens to open connections over time: keepalive pings remove dead peers, token
 * expiry closes with 4001 unless refreshed, and permessage-deflate is refused so that
 * message boundaries hold; a protocol error closes with 1002 after what was answered
 * before it.
 */
@WsIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ConnectionLifecycleIntegrationTests {

	// Long enough to open two clients and refresh on a slow machine before it runs out
	private static final Duration SHORT_LIVED = Duration.ofSeconds(5);

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

	@Test
	void deadPeerIsRemovedWithinPingIntervalPlusTimeoutWhileLivePeerStays() throws Exception {
		String deadToken = TestTokens.user("silent-peer").sign();
		try (WsTestClient live = WsTestClient.to(uri("/user/echo")).bearer(TestTokens.user("live-peer").sign()).open();
				RawWebSocket dead = RawWebSocket.connect(this.port, "/user/echo?token=" + deadToken, Map.of())) {
			assertThat(dead.status()).isEqualTo(101);
			live.nextText();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.isUserConnected("silent-peer"));
			long start = System.nanoTime();
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.manager.isUserConnected("silent-peer"));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
			assertThat(this.manager.isUserConnected("live-peer")).isTrue();
			live.send("still alive");
			assertThat(live.nextText()).isEqualTo("still alive");
		}
	}

	@Test
	void expiredTokenClosesTheConnectionWith4001UnlessRefreshed() throws Exception {
		String shortLived = TestTokens.user("expiring").expiresIn(SHORT_LIVED).sign();
		try (WsTestClient refreshed = WsTestClient.to(uri("/user/echo")).bearer(shortLived).open();
				WsTestClient abandoned = WsTestClient.to(uri("/user/echo")).bearer(shortLived).open()) {
			refreshed.nextText();
			abandoned.nextText();
			String fresh = TestTokens.user("expiring").expiresIn(Duration.ofMinutes(5)).sign();
			refreshed.send("{\"type\":\"auth.refresh\",\"token\":\"" + fresh + "\"}");
			JsonNode reply = this.json.readTree(refreshed.nextText());
			assertThat(reply.path("type").asString()).isEqualTo("auth.refreshed");
			assertThat(reply.path("expiresAt").asString()).isNotBlank();
			WsTestClient.Close close = abandoned.awaitClose();
			assertThat(close.code()).isEqualTo(4001);
			assertThat(close.reason()).isEqualTo("Token expired");
			assertThat(refreshed.isClosed()).isFalse();
			refreshed.send("after the old expiry");
			assertThat(refreshed.nextText()).isEqualTo("after the old expiry");
		}
	}

	@Test // #14
	void aHandlerThatTakesPartialMessagesHasItsTokenRefreshedToo() throws Exception {
		String shortLived = TestTokens.user("partial").expiresIn(SHORT_LIVED).sign();
		try (WsTestClient refreshed = WsTestClient.to(uri("/partial/echo")).bearer(shortLived).open();
				WsTestClient abandoned = WsTestClient.to(uri("/partial/echo")).bearer(shortLived).open()) {
			String fresh = TestTokens.user("partial").expiresIn(Duration.ofMinutes(5)).sign();
			refreshed.send("{\"type\":\"auth.refresh\",\"token\":\"" + fresh + "\"}");
			assertThat(this.json.readTree(refreshed.nextText()).path("type").asString()).isEqualTo("auth.refreshed");
			// the handler never saw the refresh: what it echoes next is the next message
			refreshed.send("seen by the handler");
			assertThat(refreshed.nextText()).isEqualTo("part:seen by the handler");
			assertThat(abandoned.awaitClose().code()).isEqualTo(4001);
			assertThat(refreshed.isClosed()).isFalse();
			refreshed.send("after the old expiry");
			assertThat(refreshed.nextText()).isEqualTo("part:after the old expiry");
		}
	}

	@Test
	void refreshWithAnotherUsersTokenIsRefusedAndTheExpiryStands() throws Exception {
		String shortLived = TestTokens.user("victim").expiresIn(SHORT_LIVED).sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(shortLived).open()) {
			client.nextText();
			String other = TestTokens.user("intruder").expiresIn(Duration.ofMinutes(5)).sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + other + "\"}");
			JsonNode reply = this.json.readTree(client.nextText());
			assertThat(reply.path("type").asString()).isEqualTo("error");
			assertThat(reply.path("error").asString()).isEqualTo("invalid_token");
			client.send("{\"type\":\"auth.refresh\",\"token\":\"garbage\"}");
			assertThat(this.json.readTree(client.nextText()).path("error").asString()).isEqualTo("invalid_token");
			assertThat(client.awaitClose().code()).isEqualTo(4001);
		}
	}

	@Test
	void refreshWithoutTheEndpointsScopesIsRefused() throws Exception {
		// #4
		String token = TestTokens.user("scoped-refresher").scope("admin").expiresIn(Duration.ofMinutes(1)).sign();
		try (WsTestClient client = WsTestClient.to(uri("/scoped/user")).bearer(token).open()) {
			client.nextText();
			String unscoped = TestTokens.user("scoped-refresher").expiresIn(Duration.ofMinutes(5)).sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + unscoped + "\"}");
			JsonNode refused = this.json.readTree(client.nextText());
			assertThat(refused.path("error").asString()).isEqualTo("invalid_token");
			assertThat(refused.path("message").asString()).contains("lacks the scopes [admin]");
			String scoped = TestTokens.user("scoped-refresher").scope("admin").expiresIn(Duration.ofMinutes(5)).sign();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + scoped + "\"}");
			assertThat(this.json.readTree(client.nextText()).path("type").asString()).isEqualTo("auth.refreshed");
		}
	}

	@Test
	void permessageDeflateIsRefusedAndMessageBoundariesHold() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/public/echo",
				Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
			assertThat(raw.status()).isEqualTo(101);
			assertThat(raw.header("Sec-WebSocket-Extensions")).isNull();
			assertThat(raw.readText()).contains("\"type\":\"hello\"");
			String first = "a".repeat(50_001);
			raw.sendText(first);
			raw.sendText("b");
			assertThat(raw.readText()).isEqualTo(first);
			assertThat(raw.readText()).isEqualTo("b");
		}
	}

	@Test
	void rawClientSeesCloseFrameForOversizedMessage() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/public/echo", Map.of())) {
			raw.readText();
			raw.sendText("z".repeat(64 * 1024 + 10));
			assertThatIOException().isThrownBy(raw::readText).withMessage("Closed by the peer: 1009");
		}
		catch (IOException ex) {
			throw new AssertionError("unexpected failure", ex);
		}
	}

	@Test
	void anEchoQueuedBeforeAProtocolErrorArrivesBeforeThe1002Close(CapturedOutput output) throws Exception {
		// #11: the valid frame and the bad one reach the server in one read
		for (int round = 0; round < 40; round++) {
			try (RawWebSocket raw = RawWebSocket.connect(this.port, "/public/echo", Map.of())) {
				raw.readText();
				String text = "valid " + round;
				byte[] bad = (round % 2 == 0) ? RawWebSocket.maskedFrame(true, 0x3, new byte[] { 1 })
						: RawWebSocket.frame(true, 0x1, new byte[] { 1 });
				raw.write(RawWebSocket.maskedFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8)), bad);
				String echo;
				try {
					echo = raw.readText();
				}
				catch (IOException ex) {
					throw new AssertionError("no echo in round " + round, ex);
				}
				assertThat(echo).isEqualTo(text);
				assertThatIOException().isThrownBy(raw::readText).withMessage("Closed by the peer: 1002");
			}
		}
		assertThat(output).doesNotContain("IllegalStateException");
	}

}
