package dev.wsinfra.autoconfigure.health;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code websocket} health contributor, unless
 * {@code management.health.websocket.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnEnabledHealthIndicator("websocket")
public final class WsHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "websocketHealthIndicator")
	WebSocketHealthIndicator websocketHealthIndicator(ConnectionManager manager, InstanceId instanceId) {
		return new WebSocketHealthIndicator(manager, instanceId);
	}

}
