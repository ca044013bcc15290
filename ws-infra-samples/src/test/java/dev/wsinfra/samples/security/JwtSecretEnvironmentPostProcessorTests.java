package dev.wsinfra.samples.security;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class JwtSecretEnvironmentPostProcessorTests {

	private final DeferredLogs logs = new DeferredLogs();

	private final JwtSecretEnvironmentPostProcessor postProcessor = new JwtSecretEnvironmentPostProcessor(this.logs);

	@Test
	void withoutASecretARandomOneOfThirtyTwoBytesIsGeneratedForEachRun() {
		StandardEnvironment first = new StandardEnvironment();
		StandardEnvironment second = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(first, new SpringApplication());
		this.postProcessor.postProcessEnvironment(second, new SpringApplication());
		String secret = first.getProperty("ws.auth.jwt.secret");
		assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
		assertThat(second.getProperty("ws.auth.jwt.secret")).isNotEqualTo(secret);
	}

	@Test
	void aConfiguredSecretOrAnotherKeySourceIsKept() {
		for (String key : new String[] { "ws.auth.jwt.secret", "ws.auth.jwt.jwk-set-uri" }) {
			StandardEnvironment environment = new StandardEnvironment();
			environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(key, "configured-value")));
			this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
			assertThat(
					environment.getPropertySources().contains(JwtSecretEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
				.isFalse();
		}
	}

}
