package dev.wsinfra.samples.bench;

import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Registers the public bench endpoint, {@code /ws/bench}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class BenchConfiguration implements WebSocketConfigurer {

	private final ConnectionManager manager;

	private final JsonMapper jsonMapper;

	private final int flushEvery;

	BenchConfiguration(ConnectionManager manager, JsonMapper jsonMapper,
			@Value("${samples.bench.flush-every:1}") int flushEvery) {
		this.manager = manager;
		this.jsonMapper = jsonMapper;
		this.flushEvery = flushEvery;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new BenchHandler(this.manager, this.jsonMapper, this.flushEvery), "/ws/bench").setAllowedOrigins("*");
	}

}
