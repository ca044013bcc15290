package dev.wsinfra.samples.realtime;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wsinfra.WebSocketException;
import dev.wsinfra.client.WebSocketClient;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAI Realtime example inside the running app: {@code POST /api/realtime} with
 * {@code {"instructions": "..."}} (optional) opens a {@link WebSocketClient} to the
 * Realtime API from this server, runs one {@link RealtimeSession#converse exchange} and
 * answers the spoken reply as base64 PCM16 (24 kHz, mono) with the error events seen. It
 * spends the operator's OpenAI credit, so it needs a JWT with the scope {@code realtime}.
 * Configured as the command line is: {@code OPENAI_API_KEY}, {@code OPENAI_REALTIME_URL};
 * an exchange is cut after {@code samples.realtime.timeout} (60 s).
 */
@RestController
class RealtimeController {

	/** Audio beyond this is not kept, so that one answer cannot exhaust the heap. */
	private static final int MAX_AUDIO_BYTES = 16 * 1024 * 1024;

	private final Environment environment;

	private final Duration timeout;

	RealtimeController(Environment environment, @Value("${samples.realtime.timeout:60s}") Duration timeout) {
		this.environment = environment;
		this.timeout = timeout;
	}

	@PostMapping("/api/realtime")
	ResponseEntity<Map<String, Object>> speak(@RequestBody(required = false) @Nullable SpeakRequest request) {
		RealtimeSettings settings;
		try {
			settings = RealtimeSettings.fromEnv(settingsFromEnvironment());
		}
		catch (IllegalArgumentException ex) {
			return failure(HttpStatus.SERVICE_UNAVAILABLE, "realtime_not_configured", ex.getMessage());
		}
		String instructions = (request != null && request.instructions() != null && !request.instructions().isBlank())
				? request.instructions() : settings.instructions();
		ByteArrayOutputStream audio = new ByteArrayOutputStream();
		List<JsonNode> errors = new ArrayList<>();
		AtomicBoolean started = new AtomicBoolean();
		boolean completed;
		try (WebSocketClient client = RealtimeSession.connect(settings)) {
			CompletableFuture.delayedExecutor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.execute(() -> client.close(1000, "Time is up"));
			completed = RealtimeSession.converse(client, instructions, new RealtimeEvents() {

				@Override
				public void sessionStarted() {
					started.set(true);
				}

				@Override
				public void audio(byte[] chunk) {
					if (audio.size() + chunk.length <= MAX_AUDIO_BYTES) {
						audio.writeBytes(chunk);
					}
				}

				@Override
				public void error(JsonNode event) {
					errors.add(event);
				}

			});
		}
		catch (WebSocketException ex) {
			return failure(HttpStatus.BAD_GATEWAY, "realtime_unreachable", ex.getMessage());
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("completed", completed);
		body.put("sessionStarted", started.get());
		body.put("audioBytes", audio.size());
		body.put("audio", Base64.getEncoder().encodeToString(audio.toByteArray()));
		body.put("errors", errors);
		return ResponseEntity.ok(body);
	}

	private Map<String, String> settingsFromEnvironment() {
		Map<String, String> env = new LinkedHashMap<>();
		for (String name : List.of("OPENAI_API_KEY", "OPENAI_REALTIME_URL", "OPENAI_REALTIME_INSTRUCTIONS")) {
			String value = this.environment.getProperty(name);
			if (value != null) {
				env.put(name, value);
			}
		}
		return env;
	}

	private static ResponseEntity<Map<String, Object>> failure(HttpStatus status, String error,
			@Nullable String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("message", (message != null) ? message : error);
		return ResponseEntity.status(status).body(body);
	}

	/**
	 * What to ask the model.
	 *
	 * @param instructions what the model should say; {@code OPENAI_REALTIME_INSTRUCTIONS}
	 * or the example's default when absent
	 */
	record SpeakRequest(@Nullable String instructions) {

	}

}
