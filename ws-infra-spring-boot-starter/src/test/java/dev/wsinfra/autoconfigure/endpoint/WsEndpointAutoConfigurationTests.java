package dev.wsinfra.autoconfigure.endpoint;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.testsupport.Failures;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

class WsEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsEndpointAutoConfiguration.class));

	@Test
	void registersDeclaredEndpointsInOwnHandlerMapping() {
		this.contextRunner.withUserConfiguration(Endpoints.class).run((context) -> {
			assertThat(context).hasBean(WsEndpointAutoConfiguration.HANDLER_MAPPING_BEAN_NAME)
				.hasSingleBean(GracefulShutdown.class)
				.hasSingleBean(EndpointSessions.class);
			WebSocketHandlerMapping mapping = context.getBean(WsEndpointAutoConfiguration.HANDLER_MAPPING_BEAN_NAME,
					WebSocketHandlerMapping.class);
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/live/feed", "/annotated");
		});
	}

	@Test
	void doesNothingOutsideServletWebApplications() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsEndpointAutoConfiguration.class))
			.withUserConfiguration(Endpoints.class)
			.run((context) -> assertThat(context).doesNotHaveBean(EndpointRegistry.class));
	}

	@Test
	void handlerMappingBacksOffWhenUserDefinesOneByName() {
		this.contextRunner.withUserConfiguration(Endpoints.class)
			.withBean(WsEndpointAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, WebSocketHandlerMapping.class,
					WebSocketHandlerMapping::new)
			.run((context) -> assertThat(context
				.getBean(WsEndpointAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, WebSocketHandlerMapping.class)
				.getUrlMap()).isEmpty());
	}

	@Test
	void endpointNeedingTokensWithoutValidationFailsStartUpNamingTheKeys() {
		this.contextRunner.withUserConfiguration(UserEndpoint.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(Failures.messages(context.getStartupFailure()))
				.contains("WebSocket endpoint /me has the USER policy but no JWT validation is configured: set "
						+ "ws.auth.jwt.secret");
		});
	}

	@Test
	void pathDeclaredTwiceFailsStartUp() {
		this.contextRunner.withUserConfiguration(Endpoints.class, DuplicateEndpoint.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(Failures.messages(context.getStartupFailure()))
				.contains("WebSocket path /annotated is declared twice");
		});
	}

	@Test
	void securityFilterChainIsAddedOnlyWithSpringWebSecurity() {
		this.contextRunner.withUserConfiguration(Endpoints.class)
			.run((context) -> assertThat(context).doesNotHaveBean(SecurityFilterChain.class));
		this.contextRunner.withUserConfiguration(Endpoints.class, WebSecurity.class)
			.run((context) -> assertThat(context).hasBean("wsSecurityFilterChain"));
		this.contextRunner.withUserConfiguration(Endpoints.class, WebSecurity.class)
			.withPropertyValues("ws.security.filter-chain=false")
			.run((context) -> assertThat(context).doesNotHaveBean("wsSecurityFilterChain"));
	}

	@Test
	void tomcatCustomizersNeedTomcat() {
		this.contextRunner
			.run((context) -> assertThat(context).hasBean("wsTomcatSocketBuffers").hasBean("wsTomcatQueryMasking"));
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.catalina.startup"))
			.run((context) -> assertThat(context).doesNotHaveBean("wsTomcatSocketBuffers")
				.doesNotHaveBean("wsTomcatQueryMasking"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Endpoints {

		@Bean
		WsRoutes liveRoutes() {
			return WsRoutes.publicRoutes("/live").route("/feed", new TextWebSocketHandler()).build();
		}

		@Bean
		@WsEndpoint("/annotated")
		TextWebSocketHandler annotated() {
			return new TextWebSocketHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateEndpoint {

		@Bean
		WsRoutes duplicate() {
			return WsRoutes.builder().route("/annotated", new TextWebSocketHandler()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpoint {

		@Bean
		@WsEndpoint(path = "/me", auth = WsAuth.USER)
		TextWebSocketHandler me() {
			return new TextWebSocketHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class WebSecurity {

		@Bean
		SecurityFilterChain appChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated()).build();
		}

	}

}
