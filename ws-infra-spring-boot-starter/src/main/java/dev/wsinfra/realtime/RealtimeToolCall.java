package dev.wsinfra.realtime;

import tools.jackson.databind.JsonNode;

/**
 * A function call the provider asked for, to be answered by a {@link RealtimeTool} on the
 * server.
 *
 * @param callId the provider's id of the call, which its result must carry
 * @param name the function's name
 * @param arguments the arguments, as the model wrote them (an object, possibly empty)
 * @param userId the user of the relay session that the call belongs to
 * @since 0.1.0
 */
public record RealtimeToolCall(String callId, String name, JsonNode arguments, String userId) {

}
