package dev.wsinfra.autoconfigure.realtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.realtime.RealtimeSessionCustomizer;
import dev.wsinfra.realtime.RealtimeTool;
import dev.wsinfra.realtime.RealtimeToolCall;
import dev.wsinfra.realtime.RealtimeUsage;
import dev.wsinfra.realtime.RealtimeUsageListener;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * An application with the relay: a {@code get_weather} tool, a customizer that takes the
 * model from the browser's {@code scenario} query parameter (a test's way to pick the
 * stand-in's scenario; a real service would not let the browser choose) and a recorder of
 * usage reports.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class RelayTestApplication {

	static final String API_KEY = "sk-relay-test-4c1f9e";

	@Bean
	WeatherTool weatherTool() {
		return new WeatherTool();
	}

	@Bean
	RealtimeSessionCustomizer scenarioFromQuery() {
		return (config, client) -> {
			if (client.getUri() == null) {
				return;
			}
			String scenario = UriComponentsBuilder.fromUri(client.getUri())
				.build()
				.getQueryParams()
				.getFirst("scenario");
			if (scenario != null) {
				config.model(scenario);
			}
		};
	}

	@Bean
	UsageRecorder usageRecorder() {
		return new UsageRecorder();
	}

	static final class WeatherTool implements RealtimeTool {

		final List<RealtimeToolCall> calls = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "get_weather";
		}

		@Override
		public String description() {
			return "The weather in a city";
		}

		@Override
		public Map<String, Object> parameters() {
			return Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required",
					List.of("city"));
		}

		@Override
		public Object call(RealtimeToolCall call) {
			this.calls.add(call);
			return Map.of("city", call.arguments().path("city").asString(), "forecast", "sunny", "celsius", 21);
		}

	}

	static final class UsageRecorder implements RealtimeUsageListener {

		final List<String> reports = new CopyOnWriteArrayList<>();

		@Override
		public void onUsage(String userId, String model, RealtimeUsage usage) {
			this.reports.add(userId + "|" + model + "|" + usage.inputTokens() + "|" + usage.outputTokens());
		}

	}

}
