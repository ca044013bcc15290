package dev.wsinfra.samples.security;

import java.nio.charset.StandardCharsets;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Protects the REST endpoints with the tokens the WebSocket endpoints take: HS256 JWTs
 * signed with {@code ws.auth.jwt.secret}. {@code POST /api/notify/**} needs the scope
 * {@code notify}; the pages, the token endpoint, {@code GET /api/realtime} (which
 * provider the relay speaks), {@code GET /ws/stats} and the Actuator's health, info and
 * Prometheus endpoints are open. The WebSocket handshakes are not seen here: ws-infra
 * adds a chain of its own, ordered first, that hands them to the endpoints' own
 * authentication.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain samplesSecurityFilterChain(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/api/notify/*")
				.hasAuthority("SCOPE_notify")
				.requestMatchers(HttpMethod.GET, "/api/realtime")
				.permitAll()
				.requestMatchers("/api/**")
				.denyAll()
				.anyRequest()
				.permitAll())
			.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	JwtDecoder jwtDecoder(@Value("${ws.auth.jwt.secret}") String secret) {
		return NimbusJwtDecoder.withSecretKey(key(secret)).macAlgorithm(MacAlgorithm.HS256).build();
	}

	@Bean
	JwtEncoder jwtEncoder(@Value("${ws.auth.jwt.secret}") String secret) {
		return NimbusJwtEncoder.withSecretKey(key(secret)).algorithm(MacAlgorithm.HS256).build();
	}

	/** The key as ws-infra reads it: the secret's UTF-8 bytes. */
	private static SecretKey key(String secret) {
		return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

}
