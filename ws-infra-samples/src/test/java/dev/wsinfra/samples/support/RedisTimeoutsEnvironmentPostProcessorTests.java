package dev.wsinfra.samples.support;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RedisTimeoutsEnvironmentPostProcessorTests {

	private final RedisTimeoutsEnvironmentPostProcessor postProcessor = new RedisTimeoutsEnvironmentPostProcessor();

	@ParameterizedTest // #11
	@CsvSource({ "3, PT3S", "1500ms, PT1.5S", "PT4S, PT4S", "10s, PT10S" })
	void springDataRedisWaitsAsLongAsTheManagerWithSecondsForABareNumber(String commandTimeout, Duration expected) {
		StandardEnvironment environment = environment(Map.of("ws.redis.command-timeout", commandTimeout));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		Binder binder = Binder.get(environment);
		assertThat(binder.bind("spring.data.redis.timeout", Duration.class).get()).isEqualTo(expected);
		assertThat(binder.bind("spring.data.redis.connect-timeout", Duration.class).get()).isEqualTo(expected);
	}

	@Test // #11
	void withoutACommandTimeoutSpringDataRedisWaitsTheManagersDefault() {
		StandardEnvironment environment = environment(Map.of());
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(Binder.get(environment).bind("spring.data.redis.timeout", Duration.class).get())
			.isEqualTo(Duration.ofSeconds(2));
	}

	@Test // #11
	void timeoutsSetForSpringDataRedisAreKept() {
		StandardEnvironment environment = environment(
				Map.of("ws.redis.command-timeout", "3s", "spring.data.redis.timeout", "500ms"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.data.redis.timeout")).isEqualTo("500ms");
		assertThat(environment.getProperty("spring.data.redis.connect-timeout")).isEqualTo("3000ms");
	}

	@Test // #11
	void aValueTheBinderRejectsIsLeftToIt() {
		StandardEnvironment environment = environment(Map.of("ws.redis.command-timeout", "soon"));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(
				environment.getPropertySources().contains(RedisTimeoutsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

}
