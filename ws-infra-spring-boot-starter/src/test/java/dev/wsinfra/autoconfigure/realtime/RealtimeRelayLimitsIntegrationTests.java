package dev.wsinfra.autoconfigure.realtime;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's session limits, each with its error event and close code: the instance's
 * session count, the idle timeout and the longest session.
 */
@SpringBootTest(classes = RelayTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.realtime.enabled=true",
				"ws.realtime.url=${stand-ins.openai}", "ws.realtime.api-key=" + RelayTestApplication.API_KEY,
				"ws.realtime.max-sessions-per-instance=1", "ws.realtime.max-sessions-per-user=0",
				"ws.realtime.idle-timeout=1s", "ws.realtime.max-duration=3s" })
class RealtimeRelayLimitsIntegrationTests extends StandInRelayTests {

	@Test // #17
	void anIdleSessionIsClosedWith4010() {
		try (WsTestClient browser = StandIns.browser(this.port, "olivia", "limits").open()) {
			browser.awaitJson((event) -> event.path("type").asString().equals("session.created"));
			JsonNode error = browser.awaitJson((event) -> event.path("type").asString().equals("error"));
			assertThat(error.at("/error/code").asString()).isEqualTo("idle_timeout");
			WsTestClient.Close close = browser.awaitClose();
			assertThat(close.code()).isEqualTo(4010);
			assertThat(close.reason()).isEqualTo("Realtime session idle");
		}
	}

	@Test // #17
	void aSessionThatKeepsTalkingIsClosedAtItsTimeLimitWith4011() {
		String audio = Base64.getEncoder().encodeToString(new byte[480]);
		try (WsTestClient browser = StandIns.browser(this.port, "peggy", "limits").open()) {
			long start = System.nanoTime();
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
				try {
					browser.sendJson(Map.of("type", "input_audio_buffer.append", "audio", audio));
				}
				catch (UncheckedIOException ex) {
					// the server's close crossed this send; the close is asserted below
				}
				return browser.isClosed();
			});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
			JsonNode error = browser.awaitJson((event) -> event.path("type").asString().equals("error"));
			assertThat(error.at("/error/code").asString()).isEqualTo("max_duration");
			WsTestClient.Close close = browser.awaitClose();
			assertThat(close.code()).isEqualTo(4011);
			assertThat(close.reason()).isEqualTo("Realtime session time limit");
		}
	}

	@Test // #17
	void aSessionBeyondTheInstanceLimitIsClosedWith1013() {
		try (WsTestClient first = StandIns.browser(this.port, "quinn", "limits").open()) {
			first.awaitJson((event) -> event.path("type").asString().equals("session.created"));
			try (WsTestClient second = StandIns.browser(this.port, "rupert", "limits").open()) {
				JsonNode error = second.awaitJson((event) -> event.path("type").asString().equals("error"));
				assertThat(error.at("/error/code").asString()).isEqualTo("instance_capacity");
				WsTestClient.Close close = second.awaitClose();
				assertThat(close.code()).isEqualTo(1013);
				assertThat(close.reason()).isEqualTo("Realtime sessions at capacity");
			}
		}
	}

}
