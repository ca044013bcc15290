package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.WsProperties;
import dev.wsinfra.autoconfigure.endpoint.security.Credentials;
import dev.wsinfra.autoconfigure.endpoint.security.EndpointSecurityConfiguration;
import dev.wsinfra.autoconfigure.endpoint.security.HandshakeAuthenticator;
import dev.wsinfra.autoconfigure.endpoint.tomcat.ContainerBuffers;
import dev.wsinfra.autoconfigure.endpoint.tomcat.TomcatConfiguration;
import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRequestHandler;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.security.WsApiKeyAuthenticator;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Auto-configuration of the WebSocket endpoints declared with
 * {@link WsEndpoint @WsEndpoint} or {@link WsRoutes}: their registration, handshake
 * authentication (JWT through Spring Security's {@link JwtDecoder}, API keys through a
 * {@link WsApiKeyAuthenticator} bean), limits, keepalive, token expiry, graceful
 * shutdown, the container's memory settings and the coexistence with the application's
 * Spring Security.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsAutoConfiguration.class, afterName = {
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketHandler.class, JwtDecoder.class, FilterRegistrationBean.class })
@Import({ EndpointSecurityConfiguration.class, TomcatConfiguration.class })
@EnableConfigurationProperties(WsRequestProperties.class)
public final class WsEndpointAutoConfiguration {

	/** Name of the handler mapping bean that serves the declared endpoints. */
	public static final String HANDLER_MAPPING_BEAN_NAME = "wsHandlerMapping";

	/**
	 * Order of the handler mapping: first. It claims only WebSocket handshakes on the
	 * endpoints' paths, which pass the application's security chain unfiltered, so no
	 * application mapping on the same path may take them.
	 */
	private static final int HANDLER_MAPPING_ORDER = Ordered.HIGHEST_PRECEDENCE;

	@Bean
	@ConditionalOnMissingBean
	EndpointRegistry wsEndpointRegistry(ListableBeanFactory beanFactory) {
		return new EndpointRegistry(beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	EndpointSessions wsEndpointSessions(ConnectionManager manager, WsProperties properties,
			ObjectProvider<EndpointObserver> observer) {
		return new EndpointSessions(manager, observer.getIfAvailable(() -> EndpointObserver.NONE),
				properties.maxConnectionsPerInstance(), properties.closeTimeout(), properties.keepaliveInterval(),
				properties.pingTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(name = HANDLER_MAPPING_BEAN_NAME)
	WebSocketHandlerMapping wsHandlerMapping(EndpointRegistry registry, HandshakeAuthenticator authenticator,
			EndpointSessions sessions, ConnectionManager manager, WsProperties properties,
			WsRequestProperties requestProperties, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<EndpointObserver> observer) {
		JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
		EndpointObserver endpointObserver = observer.getIfAvailable(() -> EndpointObserver.NONE);
		Credentials.CredentialNames names = Credentials.CredentialNames.of(properties.auth());
		EndpointHandshakeHandler handshakeHandler = new EndpointHandshakeHandler(names);
		Map<String, Object> urlMap = new LinkedHashMap<>();
		for (WsRoutes.Route route : registry.routes()) {
			checkAuthenticator(route, authenticator);
			RequestDispatcher requests = new RequestDispatcher(requestHandlerOf(route.handler()),
					new PresenceRequests(manager, requestProperties), sessions, endpointObserver, mapper,
					requestProperties);
			EndpointHandler handler = new EndpointHandler(route, manager, sessions, endpointObserver,
					new TokenRefresh(route, authenticator, sessions, mapper),
					new ClientProtocol(sessions, requests, mapper), mapper, (int) properties.maxMessageSize().toBytes(),
					ContainerBuffers.sessionSize(properties), properties.maxBadMessages(),
					!properties.permessageDeflate());
			WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler, handshakeHandler);
			requestHandler.setHandshakeInterceptors(List.of(new EndpointHandshakeInterceptor(route,
					properties.allowedOrigins(), authenticator, names, sessions, endpointObserver)));
			urlMap.put(route.path(), requestHandler);
		}
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(urlMap);
		mapping.setOrder(HANDLER_MAPPING_ORDER);
		mapping.setWebSocketUpgradeMatch(true);
		return mapping;
	}

	@Bean
	@ConditionalOnMissingBean(name = "wsUpgradeRequestFilter")
	FilterRegistrationBean<UpgradeRequestFilter> wsUpgradeRequestFilter(EndpointRegistry registry,
			WsProperties properties) {
		FilterRegistrationBean<UpgradeRequestFilter> registration = new FilterRegistrationBean<>(
				new UpgradeRequestFilter(registry, Credentials.CredentialNames.of(properties.auth()),
						properties.permessageDeflate()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
		registration.addUrlPatterns("/*");
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	GracefulShutdown wsGracefulShutdown(EndpointSessions sessions, WsProperties properties, Environment environment) {
		Duration phaseTimeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
				Duration.ofSeconds(30));
		return new GracefulShutdown(sessions, GracefulShutdown.ShutdownPlan.of(properties.shutdown().drainPeriod(),
				properties.shutdown().batchSize(), properties.closeTimeout(), phaseTimeout));
	}

	@Bean
	@ConditionalOnMissingBean
	ContainerBuffers wsContainerBuffers(WsProperties properties, EndpointRegistry registry,
			ListableBeanFactory beanFactory) {
		return ContainerBuffers.of(properties, registry, beanFactory);
	}

	private static @Nullable WsRequestHandler requestHandlerOf(WebSocketHandler handler) {
		if (handler instanceof WsRequestHandler requests) {
			return requests;
		}
		return (WebSocketHandlerDecorator.unwrap(handler) instanceof WsRequestHandler requests) ? requests : null;
	}

	private static void checkAuthenticator(WsRoutes.Route route, HandshakeAuthenticator authenticator) {
		WsAuth auth = route.auth();
		if (!auth.usesTokens() || authenticator.supportsTokens()
				|| (auth.acceptsApiKeys() && authenticator.supportsApiKeys())) {
			return;
		}
		throw new IllegalStateException("WebSocket endpoint " + route.path() + " has the " + auth
				+ " policy but no JWT validation is configured: set ws.auth.jwt.secret, "
				+ "ws.auth.jwt.public-key-location, ws.auth.jwt.jwk-set-uri or ws.auth.jwt.issuer-uri, or define a "
				+ "JwtDecoder bean" + (auth.acceptsApiKeys() ? " or a WsApiKeyAuthenticator bean" : ""));
	}

}
