package dev.wsinfra.samples.realtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.samples.testsupport.RealtimeStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Realtime example against a local stand-in that speaks the Realtime API's events;
 * the real service is never called.
 */
@SpringBootTest(classes = RealtimeExampleIntegrationTests.StandInServer.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class RealtimeExampleIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	RealtimeStandIn standIn;

	private String url() {
		return "ws://127.0.0.1:" + this.port + "/v1/realtime?model=stand-in";
	}

	@Test
	void configuresTheSessionCollectsTheAudioAndReportsErrors() throws Exception {
		RealtimeSettings settings = RealtimeSettings.fromEnv(Map.of("OPENAI_API_KEY", "test-key", "OPENAI_REALTIME_URL",
				url(), "OPENAI_REALTIME_INSTRUCTIONS", "Say hi"));
		List<String> events = new ArrayList<>();
		ByteArrayOutputStream audio = new ByteArrayOutputStream();
		boolean done;
		try (WebSocketClient client = RealtimeSession.connect(settings)) {
			done = RealtimeSession.converse(client, settings.instructions(), new RealtimeEvents() {

				@Override
				public void sessionStarted() {
					events.add("started");
				}

				@Override
				public void audio(byte[] chunk) {
					events.add("audio");
					audio.writeBytes(chunk);
				}

				@Override
				public void error(JsonNode event) {
					events.add("error: " + event.path("error").path("message").asString());
				}

			});
			assertThat(client.config().maxMessageSize()).isEqualTo(16 * 1024 * 1024);
		}
		assertThat(done).isTrue();
		assertThat(events).containsExactly("started", "audio", "audio", "error: stand-in failure", "audio");
		assertThat(audio.toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
		RealtimeStandIn.Connection connection = this.standIn.awaitConnection("Say hi");
		assertThat(connection.authorization()).isEqualTo("Bearer test-key");
		assertThat(connection.beta()).isEqualTo("realtime=v1");
		JsonNode update = connection.awaitEvent();
		assertThat(update.path("type").asString()).isEqualTo("session.update");
		assertThat(update.path("session").path("voice").asString()).isEqualTo("alloy");
		assertThat(update.path("session").path("modalities").values()).extracting(JsonNode::asString)
			.containsExactly("text", "audio");
		JsonNode create = connection.awaitEvent();
		assertThat(create.path("type").asString()).isEqualTo("response.create");
		assertThat(create.path("response").path("instructions").asString()).isEqualTo("Say hi");
		assertThat(connection.awaitClose().getCode()).isEqualTo(1000);
	}

	@Test
	void theCommandLineWritesTheAudioToTheFile(@TempDir Path directory) throws IOException {
		Path file = directory.resolve("answer.pcm");
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int status = RealtimeExample.run(Map.of("OPENAI_API_KEY", "test-key", "OPENAI_REALTIME_URL", url(),
				"OPENAI_REALTIME_AUDIO_FILE", file.toString()), new PrintStream(output, true, StandardCharsets.UTF_8));
		assertThat(status).isZero();
		assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(output.toString(StandardCharsets.UTF_8)).contains("Session started")
			.contains("Error: ")
			.contains("Audio written to " + file)
			.doesNotContain("test-key");
	}

	@Test
	void theCommandLineReportsAFailedConnection(@TempDir Path directory) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int status = RealtimeExample.run(
				Map.of("OPENAI_API_KEY", "test-key", "OPENAI_REALTIME_URL",
						"ws://127.0.0.1:" + closedPort + "/v1/realtime", "OPENAI_REALTIME_AUDIO_FILE",
						directory.resolve("none.pcm").toString()),
				new PrintStream(output, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(2);
		assertThat(output.toString(StandardCharsets.UTF_8))
			.contains("Failed: Connection to ws://127.0.0.1:" + closedPort + "/v1/realtime was refused");
		assertThat(RealtimeExample.run(Map.of(), new PrintStream(output, true, StandardCharsets.UTF_8))).isEqualTo(2);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebSocket
	static class StandInServer implements WebSocketConfigurer {

		private final RealtimeStandIn handler = new RealtimeStandIn();

		@Bean
		RealtimeStandIn realtimeStandIn() {
			return this.handler;
		}

		// Spring Security is on the class path: let the stand-in's handshakes through
		@Bean
		SecurityFilterChain standInSecurity(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(this.handler, "/v1/realtime");
		}

	}

}
