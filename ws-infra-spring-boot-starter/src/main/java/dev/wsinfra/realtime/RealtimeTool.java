package dev.wsinfra.realtime;

import java.util.Map;

/**
 * A function the model may call, answered on the server: declare it as a bean and the
 * relay offers it to the provider in every session (unless a
 * {@link RealtimeSessionCustomizer} removes it) and answers the provider's calls with its
 * result. The browser never answers a tool call.
 * <p>
 * {@link #call} runs on a thread of the relay's own, never on a network thread, and is
 * bounded by {@code ws.realtime.tool-timeout}. What it returns is serialized as JSON and
 * sent to the provider; an exception or a timeout sends {@code {"error": "..."}} instead,
 * so that the model can tell the user, and the session goes on.
 *
 * @since 0.1.0
 */
public interface RealtimeTool {

	/**
	 * Returns the function's name, as the model calls it.
	 * @return the name, letters, digits, {@code _} and {@code -}
	 */
	String name();

	/**
	 * Returns what the function does, for the model.
	 * @return the description
	 */
	String description();

	/**
	 * Returns the JSON Schema of the function's arguments.
	 * @return the schema, such as {@code {"type": "object", "properties": {...}}}
	 */
	Map<String, Object> parameters();

	/**
	 * Answers a call.
	 * @param call the call, with its arguments and the session's user
	 * @return the result, any value Jackson can write
	 * @throws Exception when the call fails; the provider is told
	 */
	Object call(RealtimeToolCall call) throws Exception;

}
