package dev.wsinfra.samples.realtime;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the sample's realtime relay at a provider by the keys it finds: Gemini Live when
 * only {@code GEMINI_API_KEY} (or {@code GOOGLE_API_KEY}) is set, OpenAI Realtime when
 * {@code OPENAI_API_KEY} is, and otherwise the sample's own {@link RealtimeStandInHandler
 * stand-in}, so that {@code /ws/realtime} works with no key and spends nothing. Anything
 * set under {@code ws.realtime.*} wins: these are defaults, at the lowest precedence.
 */
class RealtimeEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "samplesRealtimeProvider";

	static final String STAND_IN_PROPERTY = "samples.realtime.stand-in";

	static final String STAND_IN_URL = "ws://127.0.0.1:${local.server.port}" + RealtimeStandInHandler.PATH;

	private static final List<String> EXPLICIT = List.of("ws.realtime.api-key", "ws.realtime.url");

	private final Log logger;

	RealtimeEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(RealtimeEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after ws-infra's own post-processor has mapped the WS_* variables
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		for (String key : EXPLICIT) {
			if (isSet(environment, key)) {
				return;
			}
		}
		Map<String, Object> defaults;
		if (isSet(environment, "OPENAI_API_KEY")) {
			defaults = Map.of("ws.realtime.provider", "openai");
		}
		else if (isSet(environment, "GEMINI_API_KEY") || isSet(environment, "GOOGLE_API_KEY")) {
			defaults = Map.of("ws.realtime.provider", "gemini");
		}
		else {
			defaults = Map.of("ws.realtime.provider", "openai", "ws.realtime.url", STAND_IN_URL, "ws.realtime.api-key",
					"stand-in", "ws.realtime.model", "stand-in", STAND_IN_PROPERTY, "true");
			this.logger.info("No OPENAI_API_KEY or GEMINI_API_KEY is set: /ws/realtime talks to the sample's local "
					+ "stand-in, which repeats what it hears");
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
	}

	private static boolean isSet(ConfigurableEnvironment environment, String key) {
		String value = environment.getProperty(key);
		return value != null && !value.isBlank();
	}

}
