package dev.wsinfra.samples.testsupport;

import dev.wsinfra.endpoint.WsEndpoint;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Serves the {@link RealtimeStandIn} inside the sample under test, at
 * {@code /test/realtime}, for the app's own Realtime endpoint to talk to.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RealtimeStandInEndpoint {

	/** Where the stand-in listens, as {@code OPENAI_REALTIME_URL} names it. */
	public static final String URL = "ws://127.0.0.1:${local.server.port}/test/realtime?model=stand-in";

	@Bean
	@WsEndpoint(path = "/test/realtime", managed = false)
	RealtimeStandIn realtimeStandIn() {
		return new RealtimeStandIn();
	}

}
