package dev.wsinfra.samples.realtime;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RealtimeSettingsTests {

	@Test
	void onlyTheKeyIsRequiredAndTheSeedsEndpointIsTheDefault() {
		RealtimeSettings settings = RealtimeSettings.fromEnv(Map.of("OPENAI_API_KEY", "sk-test"));
		assertThat(settings.url()).isEqualTo(URI.create(RealtimeSettings.DEFAULT_URL));
		assertThat(settings.apiKey()).isEqualTo("sk-test");
		assertThat(settings.instructions()).isEqualTo(RealtimeSettings.DEFAULT_INSTRUCTIONS);
		assertThat(settings.audioFile()).isEqualTo(Path.of("realtime-audio.pcm"));
	}

	@Test
	void everySettingCanBeOverridden() {
		RealtimeSettings settings = RealtimeSettings.fromEnv(Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_REALTIME_URL",
				"ws://127.0.0.1:8080/v1/realtime?model=local", "OPENAI_REALTIME_INSTRUCTIONS", "Count to three",
				"OPENAI_REALTIME_AUDIO_FILE", "out.pcm"));
		assertThat(settings.url()).isEqualTo(URI.create("ws://127.0.0.1:8080/v1/realtime?model=local"));
		assertThat(settings.instructions()).isEqualTo("Count to three");
		assertThat(settings.audioFile()).isEqualTo(Path.of("out.pcm"));
	}

	@Test
	void aMissingKeyOrABadUrlFailsNamingTheVariable() {
		assertThatIllegalArgumentException().isThrownBy(() -> RealtimeSettings.fromEnv(Map.of()))
			.withMessage("Set OPENAI_API_KEY to run the Realtime example");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RealtimeSettings
				.fromEnv(Map.of("OPENAI_API_KEY", "sk", "OPENAI_REALTIME_URL", "https://api.openai.com")))
			.withMessage("OPENAI_REALTIME_URL must be a ws:// or wss:// URL");
	}

	@Test
	void printingTheSettingsShowsNeitherTheKeyNorTheQuery() {
		RealtimeSettings settings = RealtimeSettings
			.fromEnv(Map.of("OPENAI_API_KEY", "sk-secret", "OPENAI_REALTIME_URL", "wss://h/v1/realtime?token=t"));
		assertThat(settings.toString()).doesNotContain("sk-secret")
			.doesNotContain("token")
			.contains("wss://h/v1/realtime");
	}

}
