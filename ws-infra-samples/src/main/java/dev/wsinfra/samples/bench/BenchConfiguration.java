package dev.wsinfra.samples.bench;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the public bench endpoint, {@code /ws/bench}. The library registers each session
 * with the manager as an anonymous user of its own ({@code anonymous:<random id>}), so bench clients never
 * meet {@code ws.max-connections-per-user}, and a token sent to it is ignored.
 */
@Configuration(proxyBeanMethods = false)
class BenchConfiguration {

	@Bean
	@WsEndpoint("/ws/bench")
	BenchHandler benchHandler(ConnectionManager manager, JsonMapper jsonMapper,
			@Value("${samples.bench.flush-every:1}") int flushEvery) {
		return new BenchHandler(manager, jsonMapper, flushEvery);
	}

}
