package dev.wsinfra.autoconfigure.realtime;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A local stand-in for OpenAI Realtime that speaks its documented events:
 * {@code session.created} on connect, {@code session.updated} for each
 * {@code session.update}, {@code input_audio_buffer.committed}, and for
 * {@code response.create} a response of {@link #DELTAS} audio deltas of
 * {@link #DELTA_BYTES} bytes with {@code response.done} carrying
 * {@link #INPUT_TOKENS}/{@link #OUTPUT_TOKENS} usage; an {@code error} event for any
 * other event. The session's model names a scenario: {@code tool} asks for
 * {@code get_weather} first, {@code stall} stops answering, {@code close} closes with
 * 1011 in the middle of a response, {@code flood} sends {@link #FLOOD_DELTAS} large
 * deltas, {@code close-at-once} closes with 1008 right after the handshake, {@code bench}
 * paced deltas stamped with their send time; {@code refuse-401} and {@code refuse-429}
 * refuse the handshake (see {@link StandIns}).
 */
class OpenAiStandIn extends StandInHandler {

	static final int DELTAS = 3;

	static final int DELTA_BYTES = 4800;

	static final long INPUT_TOKENS = 120;

	static final long OUTPUT_TOKENS = 345;

	static final int FLOOD_DELTAS = 400;

	static final int FLOOD_DELTA_BYTES = 192 * 1024;

	final CountDownLatch released = new CountDownLatch(1);

	@Override
	void opened(WebSocketSession session, Recorded recorded) throws IOException {
		if (recorded.scenario().equals("close-at-once")) {
			session.close(new CloseStatus(1008, "stand-in refuses the session"));
			return;
		}
		send(session, Map.of("type", "session.created", "session", Map.of("id", "sess_" + session.getId())));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		Recorded recorded = recorded(session);
		JsonNode event = JSON.readTree(message.getPayload());
		recorded.record(event);
		switch (event.path("type").asString("")) {
			case "session.update" -> {
				ObjectNode updated = JSON.createObjectNode().put("type", "session.updated");
				updated.set("session", event.path("session"));
				send(session, updated);
			}
			case "input_audio_buffer.append" ->
				recorded.audioBytes.addAndGet(Base64.getDecoder().decode(event.path("audio").asString()).length);
			case "input_audio_buffer.commit" -> send(session, Map.of("type", "input_audio_buffer.committed"));
			case "input_audio_buffer.clear" -> send(session, Map.of("type", "input_audio_buffer.cleared"));
			case "conversation.item.create" ->
				send(session, Map.of("type", "conversation.item.created", "item", event.path("item")));
			case "response.create" -> respond(session, recorded, event);
			default -> send(session, Map.of("type", "error", "error",
					Map.of("type", "invalid_request_error", "message", "Unknown event")));
		}
	}

	private void respond(WebSocketSession session, Recorded recorded, JsonNode event) throws Exception {
		String scenario = recorded.scenario();
		int response = recorded.responses.incrementAndGet();
		send(session, Map.of("type", "response.created", "response", Map.of("id", "resp_" + response)));
		switch (scenario) {
			case "stall" -> {
				// Stops reading and answering, pongs included, until the test ends.
				this.released.await(60, TimeUnit.SECONDS);
				return;
			}
			case "close" -> {
				send(session, delta(DELTA_BYTES));
				session.close(new CloseStatus(1011, "stand-in failure"));
				return;
			}
			case "tool" -> {
				if (response == 1) {
					send(session, Map.of("type", "response.function_call_arguments.done", "call_id", "call_1", "name",
							"get_weather", "arguments", "{\"city\":\"Paris\"}"));
					send(session, done());
					return;
				}
			}
			case "bench" -> {
				JsonNode metadata = event.path("response").path("metadata");
				bench(session, metadata.path("count").asInt(1000), metadata.path("interval_us").asLong(2000));
				send(session, done());
				return;
			}
			case "flood" -> {
				for (int i = 0; i < FLOOD_DELTAS; i++) {
					send(session, delta(FLOOD_DELTA_BYTES));
				}
				send(session, done());
				return;
			}
			default -> {
			}
		}
		for (int i = 0; i < DELTAS; i++) {
			send(session, delta(DELTA_BYTES));
		}
		send(session, done());
	}

	// Paced deltas whose event_id is the nanoTime they were sent at, for the overhead
	// benchmark.
	private static void bench(WebSocketSession session, int count, long intervalMicros) throws IOException {
		String audio = Base64.getEncoder().encodeToString(new byte[DELTA_BYTES]);
		long next = System.nanoTime();
		for (int i = 0; i < count; i++) {
			LockSupport.parkNanos(next - System.nanoTime());
			next += intervalMicros * 1000;
			send(session,
					new TextMessage("{\"type\":\"response.output_audio.delta\",\"event_id\":\"" + System.nanoTime()
							+ "\",\"response_id\":\"resp_1\",\"item_id\":\"item_1\","
							+ "\"output_index\":0,\"content_index\":0,\"delta\":\"" + audio + "\"}"));
		}
	}

	static Map<String, Object> delta(int bytes) {
		return Map.of("type", "response.output_audio.delta", "delta",
				Base64.getEncoder().encodeToString(new byte[bytes]));
	}

	static Map<String, Object> done() {
		return Map.of("type", "response.done", "response",
				Map.of("status", "completed", "output", List.of(), "usage", Map.of("total_tokens",
						INPUT_TOKENS + OUTPUT_TOKENS, "input_tokens", INPUT_TOKENS, "output_tokens", OUTPUT_TOKENS)));
	}

}
