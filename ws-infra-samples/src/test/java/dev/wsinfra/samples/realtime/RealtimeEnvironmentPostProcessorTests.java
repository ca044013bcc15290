package dev.wsinfra.samples.realtime;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RealtimeEnvironmentPostProcessorTests {

	private final RealtimeEnvironmentPostProcessor postProcessor = new RealtimeEnvironmentPostProcessor(
			new DeferredLogs());

	private StandardEnvironment process(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test // #17
	void withoutAKeyTheRelayTalksToTheLocalStandIn() {
		StandardEnvironment environment = process(Map.of());
		assertThat(environment.getProperty("ws.realtime.provider")).isEqualTo("openai");
		assertThat(environment.getProperty("samples.realtime.stand-in")).isEqualTo("true");
		environment.getPropertySources().addFirst(new MapPropertySource("port", Map.of("local.server.port", "8123")));
		assertThat(environment.getProperty("ws.realtime.url"))
			.isEqualTo("ws://127.0.0.1:8123" + RealtimeStandInHandler.PATH);
	}

	@Test // #17
	void anOpenAiKeyChoosesOpenAiAndAGeminiKeyGemini() {
		StandardEnvironment openAi = process(Map.of("OPENAI_API_KEY", "sk-1"));
		assertThat(openAi.getProperty("ws.realtime.provider")).isEqualTo("openai");
		assertThat(openAi.getProperty("ws.realtime.url")).isNull();
		assertThat(openAi.getProperty("samples.realtime.stand-in")).isNull();
		StandardEnvironment gemini = process(Map.of("GEMINI_API_KEY", "g-1"));
		assertThat(gemini.getProperty("ws.realtime.provider")).isEqualTo("gemini");
		assertThat(gemini.getProperty("ws.realtime.url")).isNull();
	}

	@Test // #17
	void explicitRelaySettingsAreLeftAlone() {
		StandardEnvironment environment = process(Map.of("ws.realtime.url", "wss://proxy.test/realtime"));
		assertThat(environment.getPropertySources().contains(RealtimeEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		StandardEnvironment provider = process(Map.of("GEMINI_API_KEY", "g-1", "ws.realtime.provider", "openai"));
		assertThat(provider.getProperty("ws.realtime.provider")).isEqualTo("openai");
	}

}
