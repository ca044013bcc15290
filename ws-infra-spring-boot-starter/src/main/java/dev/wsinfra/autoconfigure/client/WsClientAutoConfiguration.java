package dev.wsinfra.autoconfigure.client;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link WsClientFactory} that builds {@link WebSocketClient}s
 * configured from {@code ws.*}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsAutoConfiguration.class)
@ConditionalOnClass({ WebSocketClient.class, org.glassfish.tyrus.client.ClientManager.class })
public final class WsClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WsClientFactory wsClientFactory(WebSocketConfig config, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<WsClientCustomizer> customizers) {
		return new WsClientFactory(config, jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
				customizers.orderedStream().toList());
	}

}
