package dev.wsinfra.autoconfigure.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;

import dev.wsinfra.WsAuthenticationException;
import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.testsupport.ClosedPort;
import dev.wsinfra.testsupport.Failures;
import dev.wsinfra.testsupport.TestTokens;
import jakarta.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
	void jwtDecoderComesFromSecret() {
		this.contextRunner.withPropertyValues("ws.auth.jwt.secret=" + TestTokens.SECRET).run((context) -> {
			HandshakeAuthenticator authenticator = context.getBean(HandshakeAuthenticator.class);
			assertThat(authenticator.jwtSource()).isEqualTo("ws.auth.jwt.secret");
			assertThat(authenticator.authenticateToken(TestTokens.user("amy").sign()).principal().id())
				.isEqualTo("amy");
		});
	}

	@Test
	void jwtDecoderComesFromPublicKey(@TempDir Path directory) throws Exception {
		KeyPair keys = TestTokens.rsaKeyPair();
		Path pem = directory.resolve("public.pem");
		Files.writeString(pem, TestTokens.pem(keys.getPublic()));
		this.contextRunner.withPropertyValues("ws.auth.jwt.public-key-location=file:" + pem).run((context) -> {
			HandshakeAuthenticator authenticator = context.getBean(HandshakeAuthenticator.class);
			assertThat(authenticator.jwtSource()).isEqualTo("ws.auth.jwt.public-key-location");
			String token = TestTokens.user("rsa-user").signWith((RSAPrivateKey) keys.getPrivate());
			assertThat(authenticator.authenticateToken(token).principal().id()).isEqualTo("rsa-user");
		});
	}

	@Test
	void jwtDecoderComesFromJwkSetUriOrIssuerWithoutContactingThem() {
		this.contextRunner.withPropertyValues("ws.auth.jwt.jwk-set-uri=http://127.0.0.1:9/jwks")
			.run((context) -> assertThat(context.getBean(HandshakeAuthenticator.class).jwtSource())
				.isEqualTo("ws.auth.jwt.jwk-set-uri"));
		this.contextRunner.withPropertyValues("ws.auth.jwt.issuer-uri=http://127.0.0.1:9/issuer")
			.run((context) -> assertThat(context.getBean(HandshakeAuthenticator.class).jwtSource())
				.isEqualTo("ws.auth.jwt.issuer-uri"));
	}

	@Test
	void keysThatCannotBeRetrievedAnswer503RatherThanFailTheToken() {
		// #4
		// RS256, so that the decoder looks for a key rather than rejecting the algorithm.
		String token = TestTokens.user("waiting").signWith((RSAPrivateKey) TestTokens.rsaKeyPair().getPrivate());
		this.contextRunner.withPropertyValues("ws.auth.jwt.issuer-uri=" + ClosedPort.url("/issuer"))
			.run((context) -> assertUnavailable(context.getBean(HandshakeAuthenticator.class), token));
		this.contextRunner.withPropertyValues("ws.auth.jwt.jwk-set-uri=" + ClosedPort.url("/jwks"))
			.run((context) -> assertUnavailable(context.getBean(HandshakeAuthenticator.class), token));
		JwtDecoder lazy = (jwt) -> {
			throw new JwtDecoderInitializationException("issuer down", new IllegalStateException());
		};
		this.contextRunner.withBean(JwtDecoder.class, () -> lazy)
			.run((context) -> assertUnavailable(context.getBean(HandshakeAuthenticator.class), token));
	}

	private static void assertUnavailable(HandshakeAuthenticator authenticator, String token) {
		assertThatExceptionOfType(WsAuthenticationException.class)
			.isThrownBy(() -> authenticator.authenticateToken(token))
			.withMessageStartingWith("JWT validation is unavailable")
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEqualTo(503));
	}

	@Test
	void applicationJwtDecoderIsUsedWhenNoPropertiesAreSet() {
		JwtDecoder own = (token) -> Jwt.withTokenValue(token)
			.header("alg", "none")
			.subject("from-app")
			.expiresAt(Instant.now().plusSeconds(60))
			.build();
		this.contextRunner.withBean(JwtDecoder.class, () -> own).run((context) -> {
			HandshakeAuthenticator authenticator = context.getBean(HandshakeAuthenticator.class);
			assertThat(authenticator.jwtSource()).isEqualTo("the application's JwtDecoder bean");
			assertThat(authenticator.authenticateToken("anything").principal().id()).isEqualTo("from-app");
		});
		this.contextRunner.withBean(JwtDecoder.class, () -> own)
			.withPropertyValues("ws.auth.jwt.secret=" + TestTokens.SECRET)
			.run((context) -> assertThat(context.getBean(HandshakeAuthenticator.class).jwtSource())
				.isEqualTo("ws.auth.jwt.secret"));
	}

	@Test
	void tokensOfTheApplicationsJwtDecoderWithoutExpiryAreRefused() {
		// #11
		JwtDecoder own = (token) -> Jwt.withTokenValue(token).header("alg", "none").subject("eternal").build();
		this.contextRunner.withBean(JwtDecoder.class, () -> own)
			.run((context) -> assertThatExceptionOfType(WsAuthenticationException.class)
				.isThrownBy(() -> context.getBean(HandshakeAuthenticator.class).authenticateToken("anything"))
				.withMessage("invalid token: no 'exp' claim"));
		this.contextRunner.withBean(JwtDecoder.class, () -> own)
			.withPropertyValues("ws.auth.jwt.allow-missing-expiration=true")
			.run((context) -> assertThat(
					context.getBean(HandshakeAuthenticator.class).authenticateToken("anything").expiresAt())
				.isNull());
	}

	@Test
	void tokensIssuedInTheFutureAreRefusedBeyondTheClockSkewOnly() {
		// #11
		JwtDecoder own = (token) -> Jwt.withTokenValue(token)
			.header("alg", "none")
			.subject("early")
			.issuedAt(Instant.now().plusSeconds(Long.parseLong(token)))
			.expiresAt(Instant.now().plusSeconds(600))
			.build();
		this.contextRunner.withBean(JwtDecoder.class, () -> own).run((context) -> {
			HandshakeAuthenticator authenticator = context.getBean(HandshakeAuthenticator.class);
			assertThat(authenticator.authenticateToken("30").principal().id()).isEqualTo("early");
			assertThatExceptionOfType(WsAuthenticationException.class)
				.isThrownBy(() -> authenticator.authenticateToken("120"))
				.withMessageStartingWith("invalid token: issued in the future");
		});
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
	void shortSecretFailsStartUpNamingTheKey() {
		this.contextRunner.withPropertyValues("ws.auth.jwt.secret=short").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(Failures.messages(context.getStartupFailure()))
				.contains("ws.auth.jwt.secret must be at least 32 bytes for HS256, was 5 bytes");
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
		this.contextRunner.run((context) -> assertThat(context).hasBean("wsTomcatSocketBuffers")
			.hasBean("wsTomcatQueryMasking"));
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.catalina.startup"))
			.run((context) -> assertThat(context).doesNotHaveBean("wsTomcatSocketBuffers")
				.doesNotHaveBean("wsTomcatQueryMasking"));
	}

	@Test
	void containerBuffersAreSmallWhenWsInfraEndpointsAreTheOnlyOnes() {
		this.contextRunner.withUserConfiguration(Endpoints.class).run((context) -> {
			ContainerBuffers buffers = context.getBean(ContainerBuffers.class);
			assertThat(buffers.applicationEndpoints()).isEmpty();
			assertThat(buffers.sessionSize()).isEqualTo(1024);
			assertThat(buffers.containerSize()).isEqualTo(1024);
		});
		this.contextRunner.withUserConfiguration(Endpoints.class)
			.withPropertyValues("ws.tomcat.message-buffer-size=512B")
			.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize()).isEqualTo(512));
		this.contextRunner.withUserConfiguration(Endpoints.class)
			.withPropertyValues("ws.permessage-deflate=true", "ws.max-message-size=64KB")
			.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize()).isEqualTo(65536));
	}

	@Test
	void containerBuffersGoBackToTomcatsForTheApplicationsOwnEndpoints() {
		// #4
		withTomcatProperty("1024", () -> {
			this.contextRunner.withUserConfiguration(Endpoints.class, OwnHandler.class).run((context) -> {
				ContainerBuffers buffers = context.getBean(ContainerBuffers.class);
				assertThat(buffers.applicationEndpoints()).contains("webSocketHandlerMapping");
				assertThat(buffers.sessionSize()).isEqualTo(1024);
				assertThat(buffers.containerSize()).isEqualTo(8192);
			});
			this.contextRunner.withUserConfiguration(Endpoints.class)
				.withBean(PojoEndpoint.class)
				.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize()).isEqualTo(8192));
			this.contextRunner.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize())
				.as("without endpoints of ws-infra's").isEqualTo(8192));
		});
		withTomcatProperty(null, () -> this.contextRunner.withUserConfiguration(Endpoints.class, OwnHandler.class)
			.withPropertyValues("ws.tomcat.default-buffer-size=0")
			.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize())
				.as("the container's own").isNotPositive()));
	}

	private static void withTomcatProperty(String value, Runnable action) {
		String previous = System.getProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY);
		setTomcatProperty(value);
		try {
			action.run();
		}
		finally {
			setTomcatProperty(previous);
		}
	}

	private static void setTomcatProperty(String value) {
		if (value != null) {
			System.setProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY, value);
		}
		else {
			System.clearProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY);
		}
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
	static class OwnHandler {

		@Configuration(proxyBeanMethods = false)
		@EnableWebSocket
		static class Config implements WebSocketConfigurer {

			@Override
			public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
				registry.addHandler(new TextWebSocketHandler(), "/own");
			}

		}

	}

	@ServerEndpoint("/pojo")
	static class PojoEndpoint {

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
