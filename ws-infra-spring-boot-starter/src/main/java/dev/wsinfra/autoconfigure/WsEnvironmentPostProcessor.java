package dev.wsinfra.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.wsinfra.config.internal.SeedVariable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the seed's {@code WS_*} environment variables, whose values are in the seed's
 * format ({@code 10.0} seconds, {@code None}), and exposes them as {@code ws.*}
 * properties in the format Spring Boot binds, at the rank of the environment: the command
 * line and system properties still win, application properties lose. When the Redis
 * module is enabled ({@code ws.redis.enabled}), also maps the seed's {@code REDIS_URL} to
 * {@code spring.data.redis.url}, below {@code SPRING_DATA_REDIS_URL}.
 * <p>
 * A value that cannot be parsed is passed through unchanged, so that binding fails with a
 * message naming the property, the value and the variable.
 *
 * @since 0.1.0
 */
public class WsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source that holds the converted seed variables. */
	public static final String SEED_PROPERTY_SOURCE_NAME = "wsSeedEnvironment";

	/** Name of the property source that maps {@code REDIS_URL}. */
	public static final String REDIS_URL_PROPERTY_SOURCE_NAME = "wsRedisUrl";

	/** Order of this post-processor: after the environment's own sources are in place. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

	private static final String REDIS_URL = "REDIS_URL";

	private static final String REDIS_ENABLED = "ws.redis.enabled";

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		PropertySource<?> system = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (system == null) {
			return;
		}
		Map<String, Object> seed = new LinkedHashMap<>();
		for (SeedVariable variable : SeedVariable.values()) {
			Object raw = system.getProperty(variable.envName());
			if (raw != null) {
				seed.put(variable.propertyName(), OriginTrackedValue.of(variable.toPropertyValue(raw.toString()),
						new SystemEnvironmentOrigin(variable.envName())));
			}
		}
		if (!seed.isEmpty()) {
			environment.getPropertySources()
				.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new OriginTrackedMapPropertySource(SEED_PROPERTY_SOURCE_NAME, seed, true));
		}
		Object redisUrl = system.getProperty(REDIS_URL);
		if (redisUrl != null && redisModuleEnabled(environment)) {
			Map<String, Object> redis = Map.of("spring.data.redis.url",
					OriginTrackedValue.of(redisUrl.toString(), new SystemEnvironmentOrigin(REDIS_URL)));
			environment.getPropertySources()
				.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new OriginTrackedMapPropertySource(REDIS_URL_PROPERTY_SOURCE_NAME, redis, true));
		}
	}

	/**
	 * Whether {@code ws.redis.enabled} is true, read as the Redis module's condition
	 * reads it. Without the module, {@code REDIS_URL} may be meant for anything else on
	 * the platform, and the application's own Redis must not follow it.
	 */
	private static boolean redisModuleEnabled(ConfigurableEnvironment environment) {
		try {
			return environment.getProperty(REDIS_ENABLED, Boolean.class, false);
		}
		catch (RuntimeException ex) {
			// A bad value is reported by the condition that reads it with its origin.
			return false;
		}
	}

}
