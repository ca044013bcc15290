package dev.wsinfra.integration;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.AccessLogs;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tokens and API keys never reach a log line: not the application's log at DEBUG for
 * Spring's web packages and TRACE for its WebSocket ones (which log every handshake
 * header), not Tomcat's access log of the query string.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "logging.level.org.springframework.web=DEBUG",
				"logging.level.org.springframework.web.socket=TRACE", "logging.level.dev.wsinfra=TRACE",
				"server.tomcat.accesslog.enabled=true", "server.tomcat.accesslog.buffered=false",
				"server.tomcat.accesslog.pattern=%r %s %q" })
@ExtendWith(OutputCaptureExtension.class)
class TokenLoggingIntegrationTests {

	@TempDir
	static Path accessLogs;

	@DynamicPropertySource
	static void accessLogDirectory(DynamicPropertyRegistry registry) {
		registry.add("server.tomcat.accesslog.directory", accessLogs::toString);
	}

	@LocalServerPort
	private int port;

	@Test
	void credentialsNeverAppearInLogs(CapturedOutput output) throws Exception {
		String token = TestTokens.user("discreet").sign();
		String expired = TestTokens.user("discreet").expiresIn(Duration.ofSeconds(-60)).sign();
		String base = "ws://127.0.0.1:" + this.port;
		try (WsTestClient client = WsTestClient.open(URI.create(base + "/protected/echo?token=" + token))) {
			assertThat(client.nextText()).contains("discreet");
		}
		try (WsTestClient client = WsTestClient
			.open(URI.create(base + "/protected/echo?api_key=" + TestApplication.API_KEY))) {
			assertThat(client.nextText()).contains("service-1");
		}
		assertThat(WsTestClient.to(URI.create(base + "/protected/echo?token=" + expired)).openRefused().statusCode())
			.isEqualTo(401);
		assertThat(WsTestClient.to(URI.create(base + "/protected/echo")).bearer(expired).openRefused().statusCode())
			.isEqualTo(401);
		await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("401"));
		String accessLog = accessLog();
		assertThat(accessLog).contains("/protected/echo?token=***").contains("api_key=***");
		for (String secret : new String[] { token, expired, TestApplication.API_KEY }) {
			assertThat(accessLog).doesNotContain(secret);
			assertThat(output.getAll()).doesNotContain(secret);
		}
		assertThat(output.getAll()).contains("Rejected WebSocket handshake on /protected/echo with 401");
	}

	@Test
	void credentialHeadersNeverAppearInTraceLogs(CapturedOutput output) throws Exception {
		// #4
		String header = TestTokens.user("header-user").sign();
		String subprotocol = TestTokens.user("subprotocol-user").sign();
		String encoded = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(TestTokens.user("encoded-user").sign().getBytes(StandardCharsets.UTF_8));
		URI endpoint = URI.create("ws://127.0.0.1:" + this.port + "/protected/echo");
		try (WsTestClient client = WsTestClient.to(endpoint).bearer(header).open()) {
			assertThat(client.nextText()).contains("header-user");
		}
		try (WsTestClient client = WsTestClient.to(endpoint).subprotocols("bearer", subprotocol).open()) {
			assertThat(client.nextText()).contains("subprotocol-user");
		}
		try (WsTestClient client = WsTestClient.to(endpoint).subprotocols("bearer", encoded).open()) {
			assertThat(client.nextText()).contains("encoded-user");
		}
		try (WsTestClient client = WsTestClient.to(endpoint).header("X-API-Key", TestApplication.API_KEY).open()) {
			assertThat(client.nextText()).contains("service-1");
		}
		assertThat(output.getAll()).as("Spring's handshake logs its headers at TRACE").contains("with headers=");
		for (String secret : new String[] { header, subprotocol, encoded, TestApplication.API_KEY }) {
			assertThat(output.getAll()).doesNotContain(secret);
		}
	}

	@Test
	void queryTokenOfAHandshakeTomcatRefusesBeforeTheApplicationNeverAppearsInLogs(CapturedOutput output)
			throws Exception {
		// #11
		String token = TestTokens.user("oversized").sign();
		assertThat(RawWebSocket.statusWithOversizedHeaders(this.port, "/protected/echo?token=" + token)).isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains(" 400 "));
		assertThat(accessLog()).contains("/protected/echo?token=***").doesNotContain(token);
		assertThat(output.getAll()).doesNotContain(token);
	}

	@Test
	void queryTokenOfAHandshakeToAnEndpointPathWithATrailingSlashNeverAppearsInLogs(CapturedOutput output)
			throws Exception {
		// #11
		String token = TestTokens.user("slashed").sign();
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/protected/echo/?token=" + token, Map.of())) {
			assertThat(raw.status()).isNotEqualTo(101);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("/protected/echo/?"));
		assertThat(accessLog()).contains("/protected/echo/?token=***").doesNotContain(token);
		assertThat(output.getAll()).doesNotContain(token);
	}

	@ParameterizedTest // #11
	@ValueSource(strings = { "//protected/echo", "/protected//echo", "/protected/echo//" })
	void queryTokenOfAHandshakeToAnEndpointPathWithDoubledSlashesNeverAppearsInLogs(String path, CapturedOutput output)
			throws Exception {
		String token = TestTokens.user("doubled").sign();
		try (RawWebSocket raw = RawWebSocket.connect(this.port, path + "?token=" + token, Map.of())) {
			assertThat(raw.status()).isNotEqualTo(101);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains(path + "?"));
		assertThat(accessLog()).contains(path + "?token=***").doesNotContain(token);
		assertThat(output.getAll()).doesNotContain(token);
	}

	private static String accessLog() throws IOException {
		return AccessLogs.read(accessLogs);
	}

}
