package dev.wsinfra.autoconfigure.endpoint.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;

import dev.wsinfra.WsAuthenticationException;
import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.endpoint.WsEndpointAutoConfiguration;
import dev.wsinfra.testsupport.ClosedPort;
import dev.wsinfra.testsupport.Failures;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EndpointSecurityConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsEndpointAutoConfiguration.class));

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
	void shortSecretFailsStartUpNamingTheKey() {
		this.contextRunner.withPropertyValues("ws.auth.jwt.secret=short").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(Failures.messages(context.getStartupFailure()))
				.contains("ws.auth.jwt.secret must be at least 32 bytes for HS256, was 5 bytes");
		});
	}

}
