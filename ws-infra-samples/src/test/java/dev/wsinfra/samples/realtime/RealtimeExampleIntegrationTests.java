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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.client.WebSocketClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Realtime example against a local stand-in that speaks the Realtime API's events; the
 * real service is never called.
 */
@SpringBootTest(classes = RealtimeExampleIntegrationTests.StandInServer.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class RealtimeExampleIntegrationTests {

	private static final byte[][] CHUNKS = { { 1, 2, 3 }, { 4, 5 }, { 6, 7, 8, 9 } };

	@LocalServerPort
	int port;

	@Autowired
	StandInHandler standIn;

	private String url() {
		return "ws://127.0.0.1:" + this.port + "/v1/realtime?model=stand-in";
	}

	@Test
	void configuresTheSessionCollectsTheAudioAndReportsErrors() throws Exception {
		RealtimeSettings settings = RealtimeSettings.fromEnv(Map.of("OPENAI_API_KEY", "test-key",
				"OPENAI_REALTIME_URL", url(), "OPENAI_REALTIME_INSTRUCTIONS", "Say hi"));
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
		StandInHandler.Connection connection = this.standIn.awaitConnection("Say hi");
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
		int status = RealtimeExample.run(Map.of("OPENAI_API_KEY", "test-key", "OPENAI_REALTIME_URL",
				"ws://127.0.0.1:" + closedPort + "/v1/realtime", "OPENAI_REALTIME_AUDIO_FILE",
				directory.resolve("none.pcm").toString()), new PrintStream(output, true, StandardCharsets.UTF_8));
		assertThat(status).isEqualTo(2);
		assertThat(output.toString(StandardCharsets.UTF_8))
			.contains("Failed: Connection to ws://127.0.0.1:" + closedPort + "/v1/realtime was refused");
		assertThat(RealtimeExample.run(Map.of(), new PrintStream(output, true, StandardCharsets.UTF_8))).isEqualTo(2);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableWebSocket
	static class StandInServer implements WebSocketConfigurer {

		private final StandInHandler handler = new StandInHandler();

		@Bean
		StandInHandler standInHandler() {
			return this.handler;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(this.handler, "/v1/realtime");
		}

	}

	/**
	 * Speaks the Realtime API's events: {@code session.created} on connect,
	 * {@code session.updated} for an update, and for {@code response.create} three audio
	 * deltas with an error event among them, then {@code response.done}. Records each
	 * connection, found again by the instructions of its {@code response.create}.
	 */
	static class StandInHandler extends TextWebSocketHandler {

		private static final JsonMapper json = JsonMapper.builder().build();

		private final Map<String, Connection> connections = new ConcurrentHashMap<>();

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws IOException {
			HttpHeaders headers = session.getHandshakeHeaders();
			this.connections.put(session.getId(),
					new Connection(headers.getFirst("Authorization"), headers.getFirst("OpenAI-Beta")));
			send(session, Map.of("type", "session.created", "session", Map.of("id", "sess_" + session.getId())));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			JsonNode event = json.readTree(message.getPayload());
			Connection connection = this.connections.get(session.getId());
			connection.events.add(event);
			switch (event.path("type").asString()) {
				case "session.update" -> send(session, Map.of("type", "session.updated"));
				case "response.create" -> {
					connection.instructions = event.path("response").path("instructions").asString();
					send(session, delta(CHUNKS[0]));
					send(session, delta(CHUNKS[1]));
					send(session, Map.of("type", "error", "error", Map.of("message", "stand-in failure")));
					send(session, delta(CHUNKS[2]));
					send(session, Map.of("type", "response.done"));
				}
				default -> send(session, Map.of("type", "error", "error", Map.of("message", "unknown event")));
			}
		}

		private static Map<String, String> delta(byte[] chunk) {
			return Map.of("type", "response.audio.delta", "delta", Base64.getEncoder().encodeToString(chunk));
		}

		private static void send(WebSocketSession session, Object event) throws IOException {
			session.sendMessage(new TextMessage(json.writeValueAsString(event)));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.connections.get(session.getId()).closes.add(status);
		}

		Connection awaitConnection(String instructions) {
			return this.connections.values()
				.stream()
				.filter((connection) -> instructions.equals(connection.instructions))
				.findFirst()
				.orElseThrow();
		}

		/** What the stand-in saw of one connection. */
		static final class Connection {

			private final @Nullable String authorization;

			private final @Nullable String beta;

			private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

			private final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();

			private volatile @Nullable String instructions;

			Connection(@Nullable String authorization, @Nullable String beta) {
				this.authorization = authorization;
				this.beta = beta;
			}

			@Nullable String authorization() {
				return this.authorization;
			}

			@Nullable String beta() {
				return this.beta;
			}

			JsonNode awaitEvent() throws InterruptedException {
				return take(this.events);
			}

			CloseStatus awaitClose() throws InterruptedException {
				return take(this.closes);
			}

			private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
				T item = queue.poll(20, TimeUnit.SECONDS);
				assertThat(item).as("a stand-in event within 20 s").isNotNull();
				return item;
			}

		}

	}

}
