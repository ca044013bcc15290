package dev.wsinfra.autoconfigure.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A local stand-in for Gemini Live's {@code BidiGenerateContent} WebSocket that speaks
 * its documented messages, as binary frames of JSON like the service: refuses anything
 * before {@code setup} (1007), answers it with {@code setupComplete}, collects
 * {@code realtimeInput} audio, and at the end of the user's turn ({@code activityEnd} or
 * a {@code clientContent} with {@code turnComplete}) first asks for {@code get_weather}
 * with a {@code toolCall} when the setup declared it, and after its {@code toolResponse},
 * or straight away without tools, answers with {@link #PARTS} audio parts in
 * {@code serverContent}, then {@code turnComplete} with {@code usageMetadata}. A setup
 * for the model {@code models/close} is answered with a close (1008).
 */
class GeminiStandIn extends StandInHandler {

	static final int PARTS = 2;

	static final int PART_BYTES = 9600;

	static final long PROMPT_TOKENS = 50;

	static final long RESPONSE_TOKENS = 70;

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		Recorded recorded = recorded(session);
		JsonNode event = JSON.readTree(message.getPayload());
		recorded.record(event);
		if (event.has("setup")) {
			String model = event.path("setup").path("model").asString("");
			recorded.scenario = model;
			if (model.equals("models/close")) {
				session.close(new CloseStatus(1008, "API key not valid"));
				return;
			}
			reply(session, Map.of("setupComplete", Map.of()));
			return;
		}
		if (recorded.scenario().isEmpty()) {
			session.close(new CloseStatus(1007, "setup must be the first message"));
			return;
		}
		JsonNode input = event.path("realtimeInput");
		if (input.path("audio").has("data")) {
			recorded.audioBytes
				.addAndGet(Base64.getDecoder().decode(input.path("audio").path("data").asString()).length);
		}
		boolean turnEnds = input.has("activityEnd")
				|| event.path("clientContent").path("turnComplete").asBoolean(false);
		if (turnEnds) {
			boolean tools = !recorded.all.get(0).path("setup").path("tools").isMissingNode();
			if (tools && recorded.responses.get() == 0) {
				recorded.responses.incrementAndGet();
				reply(session, Map.of("toolCall", Map.of("functionCalls",
						List.of(Map.of("id", "fc_1", "name", "get_weather", "args", Map.of("city", "Paris"))))));
				return;
			}
			answer(session, recorded);
		}
		else if (event.has("toolResponse")) {
			answer(session, recorded);
		}
	}

	private void answer(WebSocketSession session, Recorded recorded) throws Exception {
		recorded.responses.incrementAndGet();
		for (int i = 0; i < PARTS; i++) {
			Map<String, Object> audio = Map.of("mimeType", "audio/pcm;rate=24000", "data",
					Base64.getEncoder().encodeToString(new byte[PART_BYTES]));
			reply(session, Map.of("serverContent",
					Map.of("modelTurn", Map.of("parts", List.of(Map.of("inlineData", audio))))));
		}
		reply(session,
				Map.of("serverContent", Map.of("turnComplete", true), "usageMetadata",
						Map.of("promptTokenCount", PROMPT_TOKENS, "responseTokenCount", RESPONSE_TOKENS,
								"totalTokenCount", PROMPT_TOKENS + RESPONSE_TOKENS)));
	}

	// The service sends its JSON in binary frames.
	private static void reply(WebSocketSession session, Object message) throws Exception {
		send(session, new BinaryMessage(JSON.writeValueAsString(message).getBytes(StandardCharsets.UTF_8)));
	}

}
