package dev.wsinfra.autoconfigure.stats;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code websocket} Actuator endpoint
 * ({@link WsStatsEndpoint}), when it is exposed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(WsStatsEndpoint.class)
public final class WsStatsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WsStatsEndpoint wsStatsEndpoint(ConnectionManager manager, InstanceId instanceId) {
		return new WsStatsEndpoint(manager, instanceId);
	}

}
