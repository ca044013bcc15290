package dev.wsinfra.autoconfigure.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The relay to a local Gemini Live stand-in, whose key travels in the URL: the setup
 * first, the browser's audio held until {@code setupComplete}, a tool call answered by a
 * bean, {@code usageMetadata} metered, and the key in no log line of the relay or its
 * client at their most verbose levels. (The stand-in's own server, a provider's business,
 * is left at its usual level.)
 */
@SpringBootTest(classes = RelayTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.realtime.enabled=true",
				"ws.realtime.url=${stand-ins.gemini}", "ws.realtime.provider=gemini",
				"ws.realtime.api-key=" + RelayTestApplication.API_KEY, "ws.realtime.instructions=Answer in French",
				"ws.realtime.voice=Puck", "logging.level.dev.wsinfra=TRACE",
				"logging.level.org.glassfish.tyrus=TRACE" })
@ExtendWith(OutputCaptureExtension.class)
class GeminiRelayIntegrationTests extends StandInRelayTests {

	@Autowired
	MeterRegistry meters;

	@Autowired
	RelayTestApplication.WeatherTool weather;

	@Test // #17
	void theSetupGoesFirstAndAToolCallIsAnsweredByTheBean(CapturedOutput output) throws Exception {
		double promptTokens = count("realtime.tokens", "input");
		double responseTokens = count("realtime.tokens", "output");
		double audioOut = count("realtime.audio.seconds", "out");
		List<String> received = new ArrayList<>();
		try (WsTestClient browser = StandIns.browser(this.port, "mallory", "gemini-live-test").open()) {
			// sent at once: the relay holds it until the provider completed the setup
			browser.send(new byte[3200]);
			StandInHandler.Recorded provider = standIns.gemini.awaitConnection();
			assertThat(provider.query).isEqualTo("key=" + RelayTestApplication.API_KEY);
			JsonNode setup = provider.awaitEvent((event) -> event.has("setup")).path("setup");
			assertThat(setup.path("model").asString()).isEqualTo("models/gemini-live-test");
			assertThat(setup.path("systemInstruction").path("parts").get(0).path("text").asString())
				.isEqualTo("Answer in French");
			assertThat(setup.at("/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asString())
				.isEqualTo("Puck");
			assertThat(setup.at("/tools/0/functionDeclarations/0/name").asString()).isEqualTo("get_weather");
			received.add(browser.awaitText((text) -> text.contains("setupComplete")));
			JsonNode audio = provider.awaitEvent((event) -> event.has("realtimeInput"));
			assertThat(audio.at("/realtimeInput/audio/mimeType").asString()).isEqualTo("audio/pcm;rate=16000");
			assertThat(provider.all.get(0).has("setup")).isTrue();

			browser.sendJson(Map.of("realtimeInput", Map.of("activityEnd", Map.of())));
			JsonNode response = provider.awaitEvent((event) -> event.has("toolResponse"))
				.at("/toolResponse/functionResponses/0");
			assertThat(response.path("id").asString()).isEqualTo("fc_1");
			assertThat(response.at("/response/result/forecast").asString()).isEqualTo("sunny");
			JsonNode turn = browser.awaitJson((event) -> event.path("serverContent").path("turnComplete").asBoolean());
			assertThat(turn.at("/usageMetadata/responseTokenCount").asLong()).isEqualTo(GeminiStandIn.RESPONSE_TOKENS);

			browser.sendJson(Map.of("toolResponse", Map.of("functionResponses", List.of())));
			JsonNode refused = browser.awaitJson((event) -> event.path("type").asString().equals("error"));
			assertThat(refused.at("/error/code").asString()).isEqualTo("event_not_allowed");
			received.add(refused.toString());
		}
		assertThat(this.weather.calls).anySatisfy((call) -> assertThat(call.userId()).isEqualTo("mallory"));
		assertThat(count("realtime.tokens", "input") - promptTokens).isEqualTo(GeminiStandIn.PROMPT_TOKENS);
		assertThat(count("realtime.tokens", "output") - responseTokens).isEqualTo(GeminiStandIn.RESPONSE_TOKENS);
		assertThat(count("realtime.audio.seconds", "out") - audioOut)
			.isCloseTo(GeminiStandIn.PARTS * GeminiStandIn.PART_BYTES / 48000.0, within(1e-9));
		assertThat(received).noneMatch((text) -> text.contains(RelayTestApplication.API_KEY));
		assertThat(output).contains("realtime").doesNotContain(RelayTestApplication.API_KEY);
	}

	@Test // #17
	void theKeyAppearsInNoLogLineWhenTheProviderRefusesIt(CapturedOutput output) throws Exception {
		try (WsTestClient browser = StandIns.browser(this.port, "niaj", "close").open()) {
			standIns.gemini.awaitConnection();
			JsonNode error = browser.awaitJson((event) -> event.path("type").asString().equals("error"));
			assertThat(error.at("/error/code").asString()).isEqualTo("provider_closed");
			assertThat(error.at("/error/provider_code").asInt()).isEqualTo(1008);
			assertThat(browser.awaitClose().code()).isEqualTo(1014);
			assertThat(error.toString()).doesNotContain(RelayTestApplication.API_KEY);
		}
		assertThat(output).contains("closed realtime session").doesNotContain(RelayTestApplication.API_KEY);
	}

	private double count(String name, String direction) {
		Counter counter = this.meters.find(name)
			.tag("user", "mallory")
			.tag("provider", "gemini")
			.tag("direction", direction)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
