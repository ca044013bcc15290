package dev.wsinfra.autoconfigure.endpoint.security;

import dev.wsinfra.autoconfigure.WsProperties;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.util.StringUtils;

/**
 * Where the endpoints' JWT validation comes from, in order: {@code ws.auth.jwt.*} when
 * one of its key sources is set, else the application's single {@link JwtDecoder} bean.
 * The choice is held in a {@link WsJwtDecoder} rather than a {@link JwtDecoder} bean, so
 * that ws-infra never hands the application's HTTP security a decoder it did not ask for.
 */
final class JwtDecoderConfigurations {

	private JwtDecoderConfigurations() {
	}

	/**
	 * The JWT validation of the endpoints and where it comes from.
	 *
	 * @param decoder the decoder
	 * @param source the property or bean it comes from, for logs and health
	 */
	record WsJwtDecoder(JwtDecoder decoder, String source) {

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnJwtPropertiesCondition.class)
	static class FromProperties {

		@Bean
		@ConditionalOnMissingBean
		WsJwtDecoder wsJwtDecoder(WsProperties properties) {
			WsProperties.Jwt jwt = properties.auth().jwt();
			return new WsJwtDecoder(JwtDecoderFactory.create(jwt), JwtDecoderFactory.source(jwt));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSingleCandidate(JwtDecoder.class)
	static class FromApplication {

		@Bean
		@ConditionalOnMissingBean
		WsJwtDecoder wsJwtDecoder(JwtDecoder jwtDecoder) {
			return new WsJwtDecoder(jwtDecoder, "the application's JwtDecoder bean");
		}

	}

	/**
	 * Matches when {@code ws.auth.jwt.*} names a source of keys.
	 */
	static class OnJwtPropertiesCondition extends SpringBootCondition {

		private static final String[] KEYS = { "ws.auth.jwt.secret", "ws.auth.jwt.public-key-location",
				"ws.auth.jwt.jwk-set-uri", "ws.auth.jwt.issuer-uri" };

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("ws-infra JWT validation from properties");
			Environment environment = context.getEnvironment();
			for (String key : KEYS) {
				if (StringUtils.hasText(environment.getProperty(key))) {
					return ConditionOutcome.match(message.found("property").items(key));
				}
			}
			return ConditionOutcome.noMatch(message.didNotFind("property").items((Object[]) KEYS));
		}

	}

}
