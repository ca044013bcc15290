package dev.wsinfra.samples.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the sample a JWT secret when none is configured, so that it starts with no
 * setting at all: 32 random bytes, base64url-encoded, valid for this run of this instance
 * only. The log says that one was generated, never the secret itself. Nothing happens
 * when {@code ws.auth.jwt.secret} ({@code WS_AUTH_JWT_SECRET}) or another source of keys
 * ({@code ws.auth.jwt.public-key-location}, {@code jwk-set-uri}, {@code issuer-uri}) is
 * set.
 */
class JwtSecretEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "samplesGeneratedJwtSecret";

	static final String SECRET_PROPERTY = "ws.auth.jwt.secret";

	private static final List<String> KEY_SOURCES = List.of(SECRET_PROPERTY, "ws.auth.jwt.public-key-location",
			"ws.auth.jwt.jwk-set-uri", "ws.auth.jwt.issuer-uri");

	private final Log logger;

	JwtSecretEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(JwtSecretEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after ws-infra's own post-processor has mapped the WS_* variables
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		for (String key : KEY_SOURCES) {
			String value = environment.getProperty(key);
			if (value != null && !value.isBlank()) {
				return;
			}
		}
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(SECRET_PROPERTY, secret)));
		this.logger.warn("No ws.auth.jwt.secret is set: generated a random JWT secret for this run. Tokens from "
				+ "POST /dev/token are valid on this instance until it stops; set WS_AUTH_JWT_SECRET (at least 32 "
				+ "bytes) to keep them across restarts and to share them between instances.");
	}

}
