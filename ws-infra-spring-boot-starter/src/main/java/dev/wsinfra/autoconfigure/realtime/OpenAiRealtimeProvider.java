package dev.wsinfra.autoconfigure.realtime;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * OpenAI Realtime over WebSocket: the model in the URL, the key in the
 * {@code Authorization} header, the session configured with {@code session.update}, PCM16
 * at 24 kHz both ways. Reads the audio deltas under their beta and GA names, the usage of
 * {@code response.done} and the calls of {@code response.function_call_arguments.done};
 * answers a call with a {@code function_call_output} item and, once the response is done,
 * asks for the next one.
 */
final class OpenAiRealtimeProvider implements RealtimeProvider {

	static final String NAME = "openai";

	static final String DEFAULT_URL = "wss://api.openai.com/v1/realtime";

	private static final int SAMPLE_RATE = 24000;

	private static final Set<String> ALLOWED_EVENTS = Set.of("input_audio_buffer.append", "input_audio_buffer.commit",
			"input_audio_buffer.clear", "response.create", "response.cancel", "conversation.item.create",
			"conversation.item.truncate", "conversation.item.delete", "session.update");

	private static final Set<String> ALLOWED_FIELDS = Set.of("type", "turn_detection", "input_audio_transcription",
			"input_audio_noise_reduction", "audio.input.turn_detection", "audio.input.transcription",
			"audio.input.noise_reduction", "output_modalities", "modalities", "temperature",
			"max_response_output_tokens", "max_output_tokens", "metadata", "conversation");

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String defaultModel() {
		return "gpt-realtime";
	}

	@Override
	public Set<String> defaultAllowedEvents() {
		return ALLOWED_EVENTS;
	}

	@Override
	public Set<String> defaultAllowedFields() {
		return ALLOWED_FIELDS;
	}

	@Override
	public int inputSampleRate() {
		return SAMPLE_RATE;
	}

	@Override
	public int outputSampleRate() {
		return SAMPLE_RATE;
	}

	@Override
	public RealtimeHandshake handshake(RealtimeSessionConfig config, String apiKey, @Nullable URI url) {
		String base = (url != null) ? url.toString() : DEFAULT_URL;
		String separator = (base.indexOf('?') >= 0) ? "&" : "?";
		URI uri = URI.create(base + separator + "model=" + URLEncoder.encode(config.model(), StandardCharsets.UTF_8));
		return new RealtimeHandshake(uri, Map.of("Authorization", "Bearer " + apiKey));
	}

	@Override
	public List<ObjectNode> setup(RealtimeSessionConfig config) {
		ObjectNode session = Events.object().put("type", "realtime").put("model", config.model());
		if (config.instructions() != null) {
			session.put("instructions", config.instructions());
		}
		ObjectNode audio = session.putObject("audio");
		audio.putObject("input").set("format", pcm());
		ObjectNode output = audio.putObject("output");
		output.set("format", pcm());
		if (config.voice() != null) {
			output.put("voice", config.voice());
		}
		ArrayNode tools = session.putArray("tools");
		for (RealtimeTool tool : config.tools()) {
			tools.addObject()
				.put("type", "function")
				.put("name", tool.name())
				.put("description", tool.description())
				.set("parameters", Events.JSON.valueToTree(tool.parameters()));
		}
		ObjectNode update = Events.event("session.update");
		update.set("session", session);
		return List.of(update);
	}

	private static ObjectNode pcm() {
		return Events.object().put("type", "audio/pcm").put("rate", SAMPLE_RATE);
	}

	@Override
	public boolean isReady(@Nullable JsonNode event) {
		// The setup goes first on the socket, so the provider applies it before any
		// event of the browser.
		return true;
	}

	@Override
	public @Nullable String clientEventType(JsonNode event) {
		JsonNode type = event.path("type");
		return type.isString() ? type.asString() : null;
	}

	@Override
	public RealtimeVerdict check(String type, ObjectNode event, RealtimeClientPolicy policy) {
		return switch (type) {
			case "session.update" -> settings(type, event, "session", policy);
			case "response.create" -> settings(type, event, "response", policy);
			case "conversation.item.create" -> item(event.path("item"));
			default -> RealtimeVerdict.accept();
		};
	}

	private static RealtimeVerdict settings(String type, ObjectNode event, String field, RealtimeClientPolicy policy) {
		JsonNode settings = event.get(field);
		if (settings == null || settings.isNull()) {
			return RealtimeVerdict.accept();
		}
		if (!(settings instanceof ObjectNode object)) {
			return RealtimeVerdict.refuse("invalid_event", type + "." + field + " must be an object");
		}
		return policy.checkSettings(type, object);
	}

	// Only the user speaks through the browser: a system message would replace the
	// service's instructions, a function output would answer a call the server answers.
	private static RealtimeVerdict item(JsonNode item) {
		String itemType = item.path("type").asString("message");
		String role = item.path("role").asString("user");
		if (!"message".equals(itemType) || !"user".equals(role)) {
			return RealtimeVerdict.refuse("restricted_item", "conversation.item.create may only add user messages");
		}
		return RealtimeVerdict.accept();
	}

	@Override
	public ObjectNode audioInput(byte[] pcm16) {
		return Events.event("input_audio_buffer.append").put("audio", Base64.getEncoder().encodeToString(pcm16));
	}

	@Override
	public int inputAudioBytes(JsonNode event) {
		return "input_audio_buffer.append".equals(event.path("type").asString(""))
				? Events.decodedLength(event.path("audio")) : 0;
	}

	@Override
	public int outputAudioBytes(JsonNode event) {
		String type = event.path("type").asString("");
		return ("response.output_audio.delta".equals(type) || "response.audio.delta".equals(type))
				? Events.decodedLength(event.path("delta")) : 0;
	}

	@Override
	public boolean expectsReply(JsonNode event) {
		String type = event.path("type").asString("");
		return "response.create".equals(type) || "session.update".equals(type)
				|| "input_audio_buffer.commit".equals(type);
	}

	@Override
	public @Nullable RealtimeUsage usage(JsonNode event) {
		if (!"response.done".equals(event.path("type").asString(""))) {
			return null;
		}
		JsonNode usage = event.path("response").path("usage");
		if (!usage.isObject()) {
			return null;
		}
		return new RealtimeUsage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
	}

	@Override
	public List<RealtimeToolCall> toolCalls(JsonNode event, String userId) {
		if (!"response.function_call_arguments.done".equals(event.path("type").asString(""))) {
			return List.of();
		}
		return List.of(new RealtimeToolCall(event.path("call_id").asString(""), event.path("name").asString(""),
				Events.arguments(event.path("arguments")), userId));
	}

	@Override
	public List<ObjectNode> toolResult(RealtimeToolCall call, JsonNode result) {
		ObjectNode create = Events.event("conversation.item.create");
		create.putObject("item")
			.put("type", "function_call_output")
			.put("call_id", call.callId())
			.put("output", Events.JSON.writeValueAsString(result));
		return List.of(create);
	}

	@Override
	public boolean endsResponse(JsonNode event) {
		return "response.done".equals(event.path("type").asString(""));
	}

	@Override
	public List<ObjectNode> afterToolResults() {
		return List.of(Events.event("response.create"));
	}

}
