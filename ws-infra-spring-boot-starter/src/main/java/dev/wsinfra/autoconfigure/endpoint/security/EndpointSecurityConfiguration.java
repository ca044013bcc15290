package dev.wsinfra.autoconfigure.endpoint.security;

import dev.wsinfra.autoconfigure.WsProperties;
import dev.wsinfra.security.WsApiKeyAuthenticator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The endpoints' security: where JWT validation comes from, the
 * {@link HandshakeAuthenticator} that checks credentials, and the coexistence with the
 * application's Spring Security.
 * <p>
 * Not API: imported by {@code WsEndpointAutoConfiguration}; may change without notice.
 */
@Configuration(proxyBeanMethods = false)
@Import({ JwtDecoderConfigurations.FromProperties.class, JwtDecoderConfigurations.FromApplication.class,
		SpringSecurityConfiguration.class })
public class EndpointSecurityConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HandshakeAuthenticator wsHandshakeAuthenticator(WsProperties properties,
			ObjectProvider<JwtDecoderConfigurations.WsJwtDecoder> jwtDecoder,
			ObjectProvider<WsApiKeyAuthenticator> apiKeys) {
		JwtDecoderConfigurations.WsJwtDecoder decoder = jwtDecoder.getIfAvailable();
		return new HandshakeAuthenticator((decoder != null) ? decoder.decoder() : null,
				(decoder != null) ? decoder.source() : "none", apiKeys.getIfUnique(), properties.auth().jwt());
	}

}
