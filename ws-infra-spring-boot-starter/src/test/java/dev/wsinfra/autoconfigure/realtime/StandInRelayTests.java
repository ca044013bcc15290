package dev.wsinfra.autoconfigure.realtime;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests of a relay application against the {@link StandIns}: their URLs are
 * the properties {@code stand-ins.openai} and {@code stand-ins.gemini}, for
 * {@code ws.realtime.url=${stand-ins.openai}}.
 */
abstract class StandInRelayTests {

	static final StandIns standIns = StandIns.shared();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void standInUrls(DynamicPropertyRegistry registry) {
		registry.add("stand-ins.openai", standIns::openAiUrl);
		registry.add("stand-ins.gemini", standIns::geminiUrl);
	}

}
