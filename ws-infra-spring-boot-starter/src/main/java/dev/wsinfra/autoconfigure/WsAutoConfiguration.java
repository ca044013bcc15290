package dev.wsinfra.autoconfigure;

import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.security.WsRoomAccess;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.RoomAuthorizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of ws-infra's core beans: the {@link ConnectionManagerSettings} and
 * {@link WebSocketConfig} described by {@code ws.*}, the {@link RoomAuthorizer}
 * (anonymous sessions only in {@code public:} rooms, see {@link WsRoomAccess}), and an
 * {@link InMemoryConnectionManager} unless the application (or the Redis module, which
 * runs before) defines a {@link ConnectionManager}. Connects and disconnects of whatever
 * manager is in use are published as application events.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(WsProperties.class)
public final class WsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConnectionManagerSettings wsConnectionManagerSettings(WsProperties properties,
			ObjectProvider<RoomAuthorizer> roomAuthorizer) {
		return properties.toConnectionManagerSettings()
			.toBuilder()
			.roomAuthorizer(new DeferredRoomAuthorizer(roomAuthorizer))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	RoomAuthorizer wsRoomAuthorizer() {
		return WsRoomAccess.defaults();
	}

	@Bean
	@ConditionalOnMissingBean
	WebSocketConfig wsWebSocketConfig(WsProperties properties) {
		return properties.toWebSocketConfig();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(ConnectionManager.class)
	InMemoryConnectionManager wsConnectionManager(ConnectionManagerSettings settings,
			ObjectProvider<JsonMapper> jsonMapper) {
		return new InMemoryConnectionManager(settings, jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
	}

	@Bean
	@ConditionalOnMissingBean
	InstanceId wsInstanceId(ConnectionManager manager, WsProperties properties, Environment environment) {
		return InstanceId.resolve(manager, properties.instanceId(), environment.getProperty("HOSTNAME"));
	}

	@Bean
	@ConditionalOnMissingBean
	ConnectionEventPublisher wsConnectionEventPublisher(ConnectionManager manager,
			ApplicationEventPublisher publisher) {
		return new ConnectionEventPublisher(manager, publisher);
	}

}
