package dev.wsinfra.samples.realtime;

import tools.jackson.databind.JsonNode;

/**
 * What a {@link RealtimeSession} reports while the model answers.
 */
public interface RealtimeEvents {

	/** The server created the session ({@code session.created}). */
	void sessionStarted();

	/**
	 * A chunk of the spoken answer arrived ({@code response.audio.delta}), decoded from
	 * base64.
	 * @param chunk PCM16 audio
	 */
	void audio(byte[] chunk);

	/**
	 * The server reported an error ({@code error}); the session goes on.
	 * @param event the whole event
	 */
	void error(JsonNode event);

}
