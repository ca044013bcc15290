package dev.wsinfra.samples.realtime;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import tools.jackson.databind.JsonNode;

/**
 * The seed's OpenAI Realtime flow on {@link WebSocketClient}: configure the session with
 * {@code session.update}, and once the server reports {@code session.created}, ask for a
 * response and collect its {@code response.audio.delta} chunks until
 * {@code response.done}; {@code error} events are reported and do not end the session.
 */
public final class RealtimeSession {

	/**
	 * The seed's settings for audio: a ping every 30 s, and messages up to 16 MiB.
	 */
	static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.pingInterval(Duration.ofSeconds(30))
		.maxMessageSize(16 * 1024 * 1024)
		.build();

	private RealtimeSession() {
	}

	/**
	 * Connects to the Realtime API with the key and the beta header the seed sends.
	 * @param settings where to connect and with which key
	 * @return the connected client
	 */
	public static WebSocketClient connect(RealtimeSettings settings) {
		return WebSocketClient.builder(settings.url())
			.config(CONFIG)
			.header("Authorization", "Bearer " + settings.apiKey())
			.header("OpenAI-Beta", "realtime=v1")
			.open();
	}

	/**
	 * Runs one exchange: configures the session, asks for a spoken answer, and returns
	 * when the response is done or the connection ends.
	 * @param client a connected client
	 * @param instructions what the model should say
	 * @param events where the events go
	 * @return whether the response completed
	 */
	public static boolean converse(WebSocketClient client, String instructions, RealtimeEvents events) {
		client.sendJson(Map.of("type", "session.update", "session",
				Map.of("modalities", List.of("text", "audio"), "voice", "alloy")));
		for (WebSocketMessage message : client) {
			JsonNode event = message.json();
			switch (event.path("type").asString()) {
				case "session.created" -> {
					events.sessionStarted();
					client.sendJson(Map.of("type", "response.create", "response",
							Map.of("modalities", List.of("text", "audio"), "instructions", instructions)));
				}
				// the beta API's name, and the name of the generally available API
				case "response.audio.delta", "response.output_audio.delta" ->
					events.audio(Base64.getDecoder().decode(event.path("delta").asString()));
				case "error" -> events.error(event);
				case "response.done" -> {
					return true;
				}
				default -> {
					// session.updated, transcripts and the other events are not used here
				}
			}
		}
		return false;
	}

}
