package dev.wsinfra.integration;

import java.net.URI;
import java.util.Arrays;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile client can neither forge a log line nor flood the log: control characters in
 * a user id reach the log escaped, and a line a client can make the library repeat is
 * written at INFO only now and then.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "logging.level.dev.wsinfra=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionIntegrationTests {

	private static final String FORGED = "2026-01-01T00:00:00.000Z  INFO 1 --- [main] forged : admin logged in";

	@LocalServerPort
	private int port;

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

	@Test
	void controlCharactersInAUserIdAreEscapedInLogLines(CapturedOutput output) throws Exception {
		// #11
		String token = TestTokens.user("mallory\n" + FORGED + "\u001b[8m").sign();
		assertThat(WsTestClient.to(uri("/admin/echo")).bearer(token).openRefused().statusCode()).isEqualTo(403);
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(token).open()) {
			client.nextText();
			client.send("{\"type\":\"auth.refresh\",\"token\":\"garbage\"}");
			client.nextText();
		}
		assertThat(output.getAll())
			.contains("Rejected WebSocket handshake on /admin/echo with 403: user mallory\\u000a")
			.contains("Refused a token refresh on WebSocket session")
			.contains("of user mallory\\u000a" + FORGED + "\\u001b[8m")
			.doesNotContain("\n" + FORGED)
			.doesNotContain("\u001b");
	}

	@Test
	void refusedRefreshesOfOneSessionAreLoggedAtInfoOnlyNowAndThen(CapturedOutput output) throws Exception {
		// #11
		String token = TestTokens.user("repeater").sign();
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(token).open()) {
			client.nextText();
			for (int i = 0; i < 2000; i++) {
				client.send("{\"type\":\"auth.refresh\",\"token\":\"garbage\"}");
			}
			for (int i = 0; i < 2000; i++) {
				assertThat(client.nextText()).contains("invalid_token");
			}
			client.send("{\"type\":\"auth.refresh\",\"token\":\"" + TestTokens.user("repeater").sign() + "\"}");
			assertThat(client.nextText()).contains("auth.refreshed");
			client.send("still here");
			assertThat(client.nextText()).isEqualTo("still here");
		}
		// Each line is written before its reply is sent.
		assertThat(refusals(output, " INFO ")).isEqualTo(1);
		assertThat(refusals(output, " DEBUG ")).isEqualTo(1999);
	}

	private static long refusals(CapturedOutput output, String level) {
		return Arrays.stream(output.getAll().split("\n"))
			.filter((line) -> line.contains(level) && line.contains("Refused a token refresh")
					&& line.contains("of user repeater"))
			.count();
	}

}
