package dev.wsinfra.redis;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.ConnectionManagerSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * One application instance of the test cluster: Boot's auto-configuration (which brings
 * ws-infra-redis's) and a plain Spring WebSocket endpoint at {@code /ws} that uses the
 * injected {@link ConnectionManager} the way the seed's endpoints do. It stands in for
 * the starter, which defines the {@link ConnectionManagerSettings} bean from
 * {@code ws.*}. {@link PresenceListener} beans are added to the manager before it starts.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableWebSocket
class ClusterApp implements WebSocketConfigurer {

	/**
	 * Users whose id starts with this may join only rooms whose name starts with
	 * {@link #LOBBY_PREFIX}.
	 */
	static final String GUEST_PREFIX = "guest-";

	static final String LOBBY_PREFIX = "lobby:";

	private final ConnectionManager manager;

	private final JsonMapper jsonMapper;

	ClusterApp(ConnectionManager manager, JsonMapper jsonMapper, ObjectProvider<PresenceListener> listeners) {
		this.manager = manager;
		this.jsonMapper = jsonMapper;
		listeners.orderedStream().forEach(((RedisConnectionManager) manager)::onPresenceChange);
	}

	@Bean
	static ConnectionManagerSettings connectionManagerSettings(Environment environment) {
		return ConnectionManagerSettings.builder()
			.maxConnectionsPerUser(environment.getProperty("test.max-connections-per-user", Integer.class, 0))
			.roomNotices(environment.getProperty("ws.room-notices", Boolean.class, false))
			.roomAuthorizer((userId, room) -> !userId.startsWith(GUEST_PREFIX) || room.startsWith(LOBBY_PREFIX))
			.build();
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new CommandHandler(this.manager, this.jsonMapper), "/ws");
	}

}
