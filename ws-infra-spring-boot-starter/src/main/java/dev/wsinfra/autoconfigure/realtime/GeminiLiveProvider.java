package dev.wsinfra.autoconfigure.realtime;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.wsinfra.realtime.RealtimeClientPolicy;
import dev.wsinfra.realtime.RealtimeHandshake;
import dev.wsinfra.realtime.RealtimeProvider;
import dev.wsinfra.realtime.RealtimeSessionConfig;
import dev.wsinfra.realtime.RealtimeTool;
import dev.wsinfra.realtime.RealtimeToolCall;
import dev.wsinfra.realtime.RealtimeUsage;
import dev.wsinfra.realtime.RealtimeVerdict;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gemini Live's {@code BidiGenerateContent} WebSocket: the key in the URL, a
 * {@code setup} message first with the model, voice, instructions and tools, and the
 * browser's events held until {@code setupComplete}; PCM16 at 16 kHz in and 24 kHz out.
 * Messages are objects with one field naming their kind ({@code realtimeInput},
 * {@code serverContent}, {@code toolCall}, ...); {@code usageMetadata} may come beside
 * any of them.
 */
final class GeminiLiveProvider implements RealtimeProvider {

	static final String NAME = "gemini";

	static final String DEFAULT_URL = "wss://generativelanguage.googleapis.com/ws/"
			+ "google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

	private static final int INPUT_RATE = 16000;

	private static final int OUTPUT_RATE = 24000;

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String defaultModel() {
		return "gemini-live-2.5-flash-preview";
	}

	@Override
	public Set<String> defaultAllowedEvents() {
		return Set.of("realtimeInput", "clientContent");
	}

	@Override
	public Set<String> defaultAllowedFields() {
		return Set.of();
	}

	@Override
	public int inputSampleRate() {
		return INPUT_RATE;
	}

	@Override
	public int outputSampleRate() {
		return OUTPUT_RATE;
	}

	@Override
	public RealtimeHandshake handshake(RealtimeSessionConfig config, String apiKey, @Nullable URI url) {
		String base = (url != null) ? url.toString() : DEFAULT_URL;
		String separator = (base.indexOf('?') >= 0) ? "&" : "?";
		return new RealtimeHandshake(
				URI.create(base + separator + "key=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8)), Map.of());
	}

	@Override
	public List<ObjectNode> setup(RealtimeSessionConfig config) {
		ObjectNode message = Events.object();
		ObjectNode setup = message.putObject("setup");
		String model = config.model();
		setup.put("model", model.startsWith("models/") ? model : "models/" + model);
		ObjectNode generation = setup.putObject("generationConfig");
		generation.putArray("responseModalities").add("AUDIO");
		if (config.voice() != null) {
			generation.putObject("speechConfig")
				.putObject("voiceConfig")
				.putObject("prebuiltVoiceConfig")
				.put("voiceName", config.voice());
		}
		if (config.instructions() != null) {
			setup.putObject("systemInstruction").putArray("parts").addObject().put("text", config.instructions());
		}
		if (!config.tools().isEmpty()) {
			ArrayNode declarations = setup.putArray("tools").addObject().putArray("functionDeclarations");
			for (RealtimeTool tool : config.tools()) {
				declarations.addObject()
					.put("name", tool.name())
					.put("description", tool.description())
					.set("parameters", Events.JSON.valueToTree(tool.parameters()));
			}
		}
		return List.of(message);
	}

	@Override
	public boolean isReady(@Nullable JsonNode event) {
		return event != null && event.has("setupComplete");
	}

	@Override
	public @Nullable String clientEventType(JsonNode event) {
		if (!event.isObject() || event.size() != 1) {
			return null;
		}
		return event.propertyNames().iterator().next();
	}

	@Override
	public RealtimeVerdict check(String type, ObjectNode event, RealtimeClientPolicy policy) {
		// The setup, the one message that configures a session, is the server's; the
		// allow-list keeps it and toolResponse from the browser.
		return RealtimeVerdict.accept();
	}

	@Override
	public ObjectNode audioInput(byte[] pcm16) {
		ObjectNode message = Events.object();
		message.putObject("realtimeInput")
			.putObject("audio")
			.put("data", Base64.getEncoder().encodeToString(pcm16))
			.put("mimeType", "audio/pcm;rate=" + INPUT_RATE);
		return message;
	}

	@Override
	public int inputAudioBytes(JsonNode event) {
		JsonNode input = event.path("realtimeInput");
		if (!input.isObject()) {
			return 0;
		}
		int bytes = Events.decodedLength(input.path("audio").path("data"));
		for (JsonNode chunk : input.path("mediaChunks")) {
			if (chunk.path("mimeType").asString("").startsWith("audio/pcm")) {
				bytes += Events.decodedLength(chunk.path("data"));
			}
		}
		return bytes;
	}

	@Override
	public int outputAudioBytes(JsonNode event) {
		int bytes = 0;
		for (JsonNode part : event.path("serverContent").path("modelTurn").path("parts")) {
			JsonNode inline = part.path("inlineData");
			if (inline.path("mimeType").asString("").startsWith("audio/pcm")) {
				bytes += Events.decodedLength(inline.path("data"));
			}
		}
		return bytes;
	}

	@Override
	public boolean expectsReply(JsonNode event) {
		JsonNode content = event.path("clientContent");
		return (content.isObject() && content.path("turnComplete").asBoolean(false))
				|| event.path("realtimeInput").has("activityEnd");
	}

	@Override
	public @Nullable RealtimeUsage usage(JsonNode event) {
		JsonNode usage = event.path("usageMetadata");
		if (!usage.isObject()) {
			return null;
		}
		long input = usage.path("promptTokenCount").asLong(0);
		long output = usage.path("responseTokenCount").asLong(usage.path("candidatesTokenCount").asLong(0));
		return new RealtimeUsage(input, output);
	}

	@Override
	public List<RealtimeToolCall> toolCalls(JsonNode event, String userId) {
		JsonNode calls = event.path("toolCall").path("functionCalls");
		if (!calls.isArray()) {
			return List.of();
		}
		List<RealtimeToolCall> result = new ArrayList<>();
		for (JsonNode call : calls) {
			result.add(new RealtimeToolCall(call.path("id").asString(""), call.path("name").asString(""),
					Events.arguments(call.path("args")), userId));
		}
		return result;
	}

	@Override
	public List<ObjectNode> toolResult(RealtimeToolCall call, JsonNode result) {
		ObjectNode message = Events.object();
		ObjectNode response = message.putObject("toolResponse").putArray("functionResponses").addObject();
		response.put("id", call.callId()).put("name", call.name());
		response.putObject("response").set("result", result);
		return List.of(message);
	}

	@Override
	public boolean endsResponse(JsonNode event) {
		return event.path("serverContent").path("turnComplete").asBoolean(false);
	}

	@Override
	public List<ObjectNode> afterToolResults() {
		return List.of();
	}

}
