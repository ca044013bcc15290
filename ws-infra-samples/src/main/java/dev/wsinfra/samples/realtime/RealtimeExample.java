package dev.wsinfra.samples.realtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import dev.wsinfra.WebSocketException;
import dev.wsinfra.client.WebSocketClient;
import tools.jackson.databind.JsonNode;

/**
 * Runs the OpenAI Realtime example from the command line: asks the model for a spoken
 * answer and writes the PCM16 audio (24 kHz, mono) to a file.
 * <p>
 * Set {@code OPENAI_API_KEY}; optionally {@code OPENAI_REALTIME_URL} (another model or a
 * local stand-in), {@code OPENAI_REALTIME_INSTRUCTIONS} and
 * {@code OPENAI_REALTIME_AUDIO_FILE}.
 */
public final class RealtimeExample {

	private RealtimeExample() {
	}

	public static void main(String[] args) {
		System.exit(run(System.getenv(), System.out));
	}

	/**
	 * Runs the example.
	 * @param env the environment variables
	 * @param out where progress is printed
	 * @return the exit status: 0 when the response completed, 1 when the connection ended
	 * before, 2 when it could not be opened or the settings are wrong
	 */
	static int run(Map<String, String> env, PrintStream out) {
		try {
			return converse(RealtimeSettings.fromEnv(env), out);
		}
		catch (IllegalArgumentException | WebSocketException ex) {
			out.println("Failed: " + ex.getMessage());
			return 2;
		}
	}

	private static int converse(RealtimeSettings settings, PrintStream out) {
		out.println("Connecting to " + settings);
		try (OutputStream audio = Files.newOutputStream(settings.audioFile());
				WebSocketClient client = RealtimeSession.connect(settings)) {
			boolean done = RealtimeSession.converse(client, settings.instructions(), new RealtimeEvents() {

				@Override
				public void sessionStarted() {
					out.println("Session started");
				}

				@Override
				public void audio(byte[] chunk) {
					try {
						audio.write(chunk);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				}

				@Override
				public void error(JsonNode event) {
					out.println("Error: " + event);
				}

			});
			out.println(done ? "Audio written to " + settings.audioFile() : "Connection ended before the response");
			return done ? 0 : 1;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
