package dev.wsinfra.autoconfigure.endpoint.security;

import dev.wsinfra.autoconfigure.endpoint.EndpointRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;

/**
 * When the application uses Spring Security's web security, adds a filter chain, first in
 * order, that matches only WebSocket handshakes to the declared endpoints and lets them
 * through to ws-infra's own authentication: without it the application's chain (or Spring
 * Boot's default one) would answer them with 401 or a login redirect. Every other
 * request, including any other method or a plain request on an endpoint's path, keeps the
 * application's chains. The chain has no filters: ws-infra authenticates the handshake
 * itself, and Spring Security's filters (security context, headers, CSRF, authorization)
 * have nothing to do on a request that becomes a WebSocket, while their cost on every
 * handshake is a fifth of its CPU time. It is registered after Spring Boot's web security
 * auto-configuration, so that Boot's default chain, which backs off as soon as any chain
 * exists, still protects the rest of the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class })
@ConditionalOnBean(HttpSecurity.class)
@ConditionalOnBooleanProperty(name = "ws.security.filter-chain", matchIfMissing = true)
class SpringSecurityConfiguration {

	/** Order of the chain: before the application's chains and Spring Boot's. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

	@Bean
	@Order(ORDER)
	@ConditionalOnMissingBean(name = "wsSecurityFilterChain")
	SecurityFilterChain wsSecurityFilterChain(EndpointRegistry registry) {
		return new DefaultSecurityFilterChain(registry::matchesHandshake);
	}

}
