package dev.wsinfra.autoconfigure.jsclient;

import java.util.Map;
import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Auto-configuration that serves ws-infra.js, the JavaScript client, and its TypeScript
 * declarations at {@code ws.js-client.path} ({@code /ws-infra/ws-infra.js} by default),
 * the way Socket.IO serves its client. With Spring Security's web security, a filter
 * chain without filters lets GET and HEAD requests for the two files through, as they are
 * public code; it is registered after Spring Boot's web security auto-configuration so
 * that Boot's default chain still protects the rest of the application.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SimpleUrlHandlerMapping.class)
@ConditionalOnBooleanProperty(name = "ws.js-client.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WsJsClientProperties.class)
public final class WsJsClientAutoConfiguration {

	/** Name of the handler mapping bean that serves the client. */
	public static final String HANDLER_MAPPING_BEAN_NAME = "wsJsClientHandlerMapping";

	static final String SCRIPT = "ws-infra.js";

	static final String DECLARATIONS = "ws-infra.d.ts";

	@Bean
	@ConditionalOnMissingBean(name = HANDLER_MAPPING_BEAN_NAME)
	SimpleUrlHandlerMapping wsJsClientHandlerMapping(WsJsClientProperties properties) {
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of(properties.path() + "/" + SCRIPT,
				new JsClientResource(SCRIPT, "text/javascript;charset=UTF-8"), properties.path() + "/" + DECLARATIONS,
				new JsClientResource(DECLARATIONS, "application/typescript;charset=UTF-8")));
		// Ahead of Spring MVC's mappings, so that the application's static resources
		// cannot shadow it by accident.
		mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return mapping;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class })
	@ConditionalOnBean(HttpSecurity.class)
	@ConditionalOnBooleanProperty(name = "ws.security.filter-chain", matchIfMissing = true)
	static class SecurityConfiguration {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE + 51)
		@ConditionalOnMissingBean(name = "wsJsClientSecurityFilterChain")
		SecurityFilterChain wsJsClientSecurityFilterChain(WsJsClientProperties properties) {
			Set<String> files = Set.of(properties.path() + "/" + SCRIPT, properties.path() + "/" + DECLARATIONS);
			return new DefaultSecurityFilterChain(
					(request) -> ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
							&& files.contains(request.getRequestURI().substring(request.getContextPath().length())));
		}

	}

}
