package dev.wsinfra.samples.support;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.redis.RedisConnectionManagerOptions;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives Spring Data Redis (its health indicator, the examples' shared state and
 * leadership) the Redis module's wait, {@code ws.redis.command-timeout}
 * ({@code WS_REDIS_COMMAND_TIMEOUT}, 2 s by default), as
 * {@code spring.data.redis.timeout} and {@code connect-timeout}, unless they are set.
 * Otherwise Lettuce waits 60 s for a Redis that stalls, holding server threads, scheduled
 * tasks and a shutdown that long. The value is read as the module reads it, a bare number
 * being seconds; a placeholder in {@code application.properties} would hand Spring Data
 * Redis that number as milliseconds.
 */
class RedisTimeoutsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "samplesRedisTimeouts";

	static final String COMMAND_TIMEOUT_PROPERTY = "ws.redis.command-timeout";

	private static final List<String> SPRING_DATA_REDIS_TIMEOUTS = List.of("spring.data.redis.timeout",
			"spring.data.redis.connect-timeout");

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String value = environment.getProperty(COMMAND_TIMEOUT_PROPERTY);
		Duration timeout = RedisConnectionManagerOptions.DEFAULT_COMMAND_TIMEOUT;
		if (value != null && !value.isBlank()) {
			try {
				timeout = DurationStyle.detectAndParse(value.trim(), ChronoUnit.SECONDS);
			}
			catch (IllegalArgumentException ex) {
				// The binder reports it, naming the key and where it was set.
				return;
			}
		}
		Map<String, Object> timeouts = new LinkedHashMap<>();
		for (String key : SPRING_DATA_REDIS_TIMEOUTS) {
			if (!environment.containsProperty(key)) {
				timeouts.put(key, timeout.toMillis() + "ms");
			}
		}
		if (!timeouts.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, timeouts));
		}
	}

}
