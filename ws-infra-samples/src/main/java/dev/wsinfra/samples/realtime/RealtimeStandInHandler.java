package dev.wsinfra.samples.realtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import dev.wsinfra.endpoint.WsEndpoint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The sample's stand-in for OpenAI Realtime, which the relay talks to when no provider
 * key is set: a parrot that speaks the Realtime API's events. For each response it first
 * asks for {@code get_server_time}, answered by {@link ServerClockTool} on the server,
 * then says what it heard back as audio deltas, with a transcript naming the length of
 * the audio and the server's time, and {@code response.done} with usage. It serves
 * loopback connections only, one turn of at most {@link #MAX_AUDIO_BYTES} at a time.
 */
@Component
@ConditionalOnBooleanProperty(RealtimeEnvironmentPostProcessor.STAND_IN_PROPERTY)
@WsEndpoint(path = RealtimeStandInHandler.PATH, managed = false)
class RealtimeStandInHandler extends TextWebSocketHandler {

	static final String PATH = "/samples/realtime-stand-in";

	/** 30 s of PCM16 at 24 kHz. */
	static final int MAX_AUDIO_BYTES = 30 * 24000 * 2;

	static final int DELTA_BYTES = 4800;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String BUFFER = "standIn.buffer";

	private static final String HEARD = "standIn.heard";

	private static final String TOOL_OUTPUT = "standIn.toolOutput";

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		InetSocketAddress remote = session.getRemoteAddress();
		if (remote == null || !remote.getAddress().isLoopbackAddress()) {
			session.close(CloseStatus.POLICY_VIOLATION.withReason("The stand-in serves loopback connections only"));
			return;
		}
		session.getAttributes().put(BUFFER, new ByteArrayOutputStream());
		send(session, Map.of("type", "session.created", "session", Map.of("id", "sess_" + session.getId())));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		JsonNode event = json.readTree(message.getPayload());
		ByteArrayOutputStream buffer = (ByteArrayOutputStream) session.getAttributes().get(BUFFER);
		switch (event.path("type").asString("")) {
			case "session.update" -> send(session, Map.of("type", "session.updated", "session", event.path("session")));
			case "input_audio_buffer.append" -> {
				byte[] audio = Base64.getDecoder().decode(event.path("audio").asString(""));
				if (buffer.size() + audio.length <= MAX_AUDIO_BYTES) {
					buffer.writeBytes(audio);
				}
			}
			case "input_audio_buffer.commit" -> {
				session.getAttributes().put(HEARD, buffer.toByteArray());
				buffer.reset();
				send(session, Map.of("type", "input_audio_buffer.committed"));
			}
			case "input_audio_buffer.clear" -> {
				buffer.reset();
				send(session, Map.of("type", "input_audio_buffer.cleared"));
			}
			case "conversation.item.create" -> {
				JsonNode item = event.path("item");
				if ("function_call_output".equals(item.path("type").asString(""))) {
					session.getAttributes().put(TOOL_OUTPUT, json.readTree(item.path("output").asString("{}")));
				}
				send(session, Map.of("type", "conversation.item.created", "item", item));
			}
			case "response.create" -> respond(session);
			default -> send(session, Map.of("type", "error", "error",
					Map.of("type", "invalid_request_error", "message", "The stand-in does not know this event")));
		}
	}

	private void respond(WebSocketSession session) throws IOException {
		Object toolOutput = session.getAttributes().remove(TOOL_OUTPUT);
		byte[] heard = (byte[]) session.getAttributes().getOrDefault(HEARD, new byte[0]);
		send(session, Map.of("type", "response.created", "response", Map.of("status", "in_progress")));
		if (!(toolOutput instanceof JsonNode clock)) {
			send(session, Map.of("type", "response.function_call_arguments.done", "call_id", "call_" + heard.length,
					"name", ServerClockTool.NAME, "arguments", "{}"));
			send(session, done(heard.length / 480, 10));
			return;
		}
		session.getAttributes().remove(HEARD);
		String transcript = String.format("You said %.1f seconds of audio. The server time is %s.",
				heard.length / 48000.0, clock.path("time").asString("unknown"));
		send(session, Map.of("type", "response.output_audio_transcript.done", "transcript", transcript));
		for (int offset = 0; offset < heard.length; offset += DELTA_BYTES) {
			int length = Math.min(DELTA_BYTES, heard.length - offset);
			send(session, Map.of("type", "response.output_audio.delta", "delta",
					Base64.getEncoder().encodeToString(Arrays.copyOfRange(heard, offset, offset + length))));
		}
		send(session, Map.of("type", "response.output_audio.done"));
		send(session, done(20, heard.length / 480));
	}

	private static Map<String, Object> done(long inputTokens, long outputTokens) {
		return Map.of("type", "response.done", "response", Map.of("status", "completed", "usage", Map.of("input_tokens",
				inputTokens, "output_tokens", outputTokens, "total_tokens", inputTokens + outputTokens)));
	}

	private static void send(WebSocketSession session, Object event) throws IOException {
		session.sendMessage(new TextMessage(json.writeValueAsString(event)));
	}

}
