package dev.wsinfra.samples.realtime;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how the example reaches the Realtime API, from environment variables.
 *
 * @param url the Realtime WebSocket URL, {@code OPENAI_REALTIME_URL}
 * @param apiKey the API key, {@code OPENAI_API_KEY}; never printed
 * @param instructions what the model is asked to say,
 * {@code OPENAI_REALTIME_INSTRUCTIONS}
 * @param audioFile where the PCM16 audio goes, {@code OPENAI_REALTIME_AUDIO_FILE}
 */
public record RealtimeSettings(URI url, String apiKey, String instructions, Path audioFile) {

	/** The seed's endpoint and model. */
	public static final String DEFAULT_URL = "wss://api.openai.com/v1/realtime?model=gpt-4o-realtime-preview";

	static final String DEFAULT_INSTRUCTIONS = "Say hello and introduce yourself in one sentence.";

	static final String DEFAULT_AUDIO_FILE = "realtime-audio.pcm";

	/**
	 * Reads the settings; only {@code OPENAI_API_KEY} is required.
	 * @param env the environment
	 * @return the settings
	 * @throws IllegalArgumentException if the key is missing or the URL is not a
	 * WebSocket URL
	 */
	public static RealtimeSettings fromEnv(Map<String, String> env) {
		String apiKey = env.get("OPENAI_API_KEY");
		if (apiKey == null || apiKey.isBlank()) {
			throw new IllegalArgumentException("Set OPENAI_API_KEY to run the Realtime example");
		}
		URI url = URI.create(env.getOrDefault("OPENAI_REALTIME_URL", DEFAULT_URL));
		if (!"ws".equalsIgnoreCase(url.getScheme()) && !"wss".equalsIgnoreCase(url.getScheme())) {
			throw new IllegalArgumentException("OPENAI_REALTIME_URL must be a ws:// or wss:// URL");
		}
		return new RealtimeSettings(url, apiKey, env.getOrDefault("OPENAI_REALTIME_INSTRUCTIONS", DEFAULT_INSTRUCTIONS),
				Path.of(env.getOrDefault("OPENAI_REALTIME_AUDIO_FILE", DEFAULT_AUDIO_FILE)));
	}

	@Override
	public String toString() {
		String port = (this.url.getPort() != -1) ? ":" + this.url.getPort() : "";
		return "RealtimeSettings[url=" + this.url.getScheme() + "://" + this.url.getHost() + port + this.url.getPath()
				+ ", audioFile=" + this.audioFile + "]";
	}

}
