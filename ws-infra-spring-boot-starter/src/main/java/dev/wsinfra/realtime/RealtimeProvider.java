package dev.wsinfra.realtime;

import java.net.URI;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One realtime AI service's WebSocket protocol, as the relay needs to know it: how to
 * open and set up a session the service configures, which events of the browser may
 * change what, where audio, usage and function calls are in the provider's events, and
 * how to answer a function call. ws-infra has OpenAI Realtime ({@code openai}) and Gemini
 * Live ({@code gemini}); declare a bean of this type for a third, and it is used instead.
 * <p>
 * Events are JSON objects, read and written as Jackson trees. Implementations are
 * stateless and thread-safe: one instance serves every session, and its methods run on
 * the threads that receive the browser's and the provider's messages, so they must not
 * block.
 *
 * @since 0.1.0
 */
public interface RealtimeProvider {

	/**
	 * Returns the provider's name, as {@code ws.realtime.provider} names it and the
	 * {@code provider} tag of the meters shows it.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the model used when {@code ws.realtime.model} is not set.
	 * @return the model
	 */
	String defaultModel();

	/**
	 * Returns the event types the browser may send when
	 * {@code ws.realtime.allowed-client-events} is not set.
	 * @return the event types
	 */
	Set<String> defaultAllowedEvents();

	/**
	 * Returns the paths of the settings fields the browser may set when
	 * {@code ws.realtime.allowed-client-fields} is not set.
	 * @return the paths, see {@link RealtimeClientPolicy}
	 */
	Set<String> defaultAllowedFields();

	/**
	 * Returns the sample rate of the PCM16 audio the provider takes.
	 * @return samples per second
	 */
	int inputSampleRate();

	/**
	 * Returns the sample rate of the PCM16 audio the provider sends.
	 * @return samples per second
	 */
	int outputSampleRate();

	/**
	 * Returns how to connect for a session.
	 * @param config the session's configuration
	 * @param apiKey the provider key, for a header or the URL
	 * @param url the URL of {@code ws.realtime.url}, which replaces the provider's
	 * endpoint (a proxy, a regional endpoint or a local stand-in), or {@code null}
	 * @return the handshake
	 */
	RealtimeHandshake handshake(RealtimeSessionConfig config, String apiKey, @Nullable URI url);

	/**
	 * Returns the events sent to the provider as soon as the connection is open, before
	 * any of the browser's: the session's configuration.
	 * @param config the session's configuration
	 * @return the events, in order
	 */
	List<ObjectNode> setup(RealtimeSessionConfig config);

	/**
	 * Returns whether the provider is ready for the browser's events, which wait until
	 * then.
	 * @param event an event of the provider, or {@code null} right after the connection
	 * opened and the setup was sent
	 * @return whether the browser's events may flow
	 */
	boolean isReady(@Nullable JsonNode event);

	/**
	 * Returns the type of an event of the browser, checked against the allow-list.
	 * @param event the event
	 * @return the type, or {@code null} when the event has none
	 */
	@Nullable String clientEventType(JsonNode event);

	/**
	 * Checks an allowed event of the browser against the policy's settings fields, and
	 * anything else the provider restricts. May filter the event in place.
	 * @param type the event's type
	 * @param event the event
	 * @param policy the policy
	 * @return the verdict
	 */
	RealtimeVerdict check(String type, ObjectNode event, RealtimeClientPolicy policy);

	/**
	 * Wraps raw audio of the browser, sent as a binary message, in the provider's event
	 * that appends audio.
	 * @param pcm16 PCM16 audio at the {@link #inputSampleRate()}
	 * @return the event
	 */
	ObjectNode audioInput(byte[] pcm16);

	/**
	 * Returns the bytes of PCM16 audio an event of the browser carries, for metering.
	 * @param event the event
	 * @return the decoded size, 0 when it carries none
	 */
	int inputAudioBytes(JsonNode event);

	/**
	 * Returns the bytes of PCM16 audio an event of the provider carries. Such an event is
	 * an audio delta: a browser that reads too slowly may lose it.
	 * @param event the event
	 * @return the decoded size, 0 when it carries none
	 */
	int outputAudioBytes(JsonNode event);

	/**
	 * Returns whether the provider answers an event of the browser, such as a request for
	 * a response; a provider that does not within {@code ws.realtime.provider-timeout} is
	 * taken as stalled.
	 * @param event the event
	 * @return whether an answer is due
	 */
	boolean expectsReply(JsonNode event);

	/**
	 * Returns the usage an event of the provider reports.
	 * @param event the event
	 * @return the usage, or {@code null} when the event reports none
	 */
	@Nullable RealtimeUsage usage(JsonNode event);

	/**
	 * Returns the function calls an event of the provider asks for.
	 * @param event the event
	 * @param userId the session's user
	 * @return the calls, empty when none
	 */
	List<RealtimeToolCall> toolCalls(JsonNode event, String userId);

	/**
	 * Returns the events that give the provider a function's result.
	 * @param call the call
	 * @param result the result, as JSON
	 * @return the events, in order
	 */
	List<ObjectNode> toolResult(RealtimeToolCall call, JsonNode result);

	/**
	 * Returns whether an event of the provider ends a response, after which the results
	 * of its function calls may ask for the next one.
	 * @param event the event
	 * @return whether it ends a response
	 */
	boolean endsResponse(JsonNode event);

	/**
	 * Returns the events sent once every function call of a response has its result and
	 * the response ended, such as OpenAI's {@code response.create}; empty for a provider
	 * that goes on by itself.
	 * @return the events
	 */
	List<ObjectNode> afterToolResults();

}
