package dev.wsinfra.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.wsinfra.config.WebSocketConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The post-processor called directly on an environment whose system environment is a map,
 * with the seed's exact variable names and value format.
 */
class WsEnvironmentPostProcessorTests {

	private final WsEnvironmentPostProcessor postProcessor = new WsEnvironmentPostProcessor();

	private StandardEnvironment environment(Map<String, Object> variables) {
		return environment(variables, Map.of());
	}

	/** An environment with application properties below the variables, post-processed. */
	private StandardEnvironment environment(Map<String, Object> variables, Map<String, Object> application) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addLast(new MapPropertySource("application", application));
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	private static WebSocketConfig config(StandardEnvironment environment) {
		return Binder.get(environment).bindOrCreate("ws", WsProperties.class).toWebSocketConfig();
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			WS_OPEN_TIMEOUT           | 2.5     | openTimeout          | PT2.5S
			WS_CLOSE_TIMEOUT          | 7.0     | closeTimeout         | PT7S
			WS_PING_INTERVAL          | 15.0    | pingInterval         | Optional[PT15S]
			WS_PING_INTERVAL          | None    | pingInterval         | Optional.empty
			WS_PING_INTERVAL          | 0       | pingInterval         | Optional.empty
			WS_PING_INTERVAL          | 0.0     | pingInterval         | Optional.empty
			WS_PING_TIMEOUT           | 30      | pingTimeout          | PT30S
			WS_MAX_MESSAGE_SIZE       | 2097152 | maxMessageSize       | 2097152
			WS_MAX_QUEUE_SIZE         | 32      | maxQueueSize         | 32
			WS_RECONNECT_ENABLED      | false   | reconnectEnabled     | false
			WS_RECONNECT_MAX_ATTEMPTS | 0       | reconnectMaxAttempts | 0
			WS_RECONNECT_BACKOFF_BASE | 0.5     | reconnectBackoffBase | PT0.5S
			WS_RECONNECT_BACKOFF_MAX  | 120.0   | reconnectBackoffMax  | PT2M
			WS_RECONNECT_JITTER       | 0.25    | reconnectJitter      | 0.25
			""")
	void seedVariableBindsWithSeedValueFormat(String variable, String value, String field, String expected)
			throws Exception {
		WebSocketConfig config = config(environment(Map.of(variable, value)));
		Object actual = WebSocketConfig.class.getMethod(field).invoke(config);
		assertThat(String.valueOf(actual)).isEqualTo(expected);
	}

	@Test
	void seedVariablesMatchFromEnv() {
		Map<String, Object> variables = Map.of("WS_OPEN_TIMEOUT", "2.5", "WS_PING_INTERVAL", "None",
				"WS_RECONNECT_MAX_ATTEMPTS", "0", "WS_MAX_MESSAGE_SIZE", "4096");
		Map<String, String> asStrings = new HashMap<>();
		variables.forEach((name, value) -> asStrings.put(name, value.toString()));
		assertThat(config(environment(variables))).isEqualTo(WebSocketConfig.fromEnv(asStrings));
	}

	@Test
	void convertedValuesKeepTheVariableAsOrigin() {
		StandardEnvironment environment = environment(Map.of("WS_OPEN_TIMEOUT", "2.5"));
		@SuppressWarnings("unchecked")
		OriginLookup<String> source = (OriginLookup<String>) environment.getPropertySources()
			.get(WsEnvironmentPostProcessor.SEED_PROPERTY_SOURCE_NAME);
		assertThat(source.getOrigin("ws.open-timeout")).isEqualTo(new SystemEnvironmentOrigin("WS_OPEN_TIMEOUT"));
	}

	@Test
	void invalidValuePassesThroughSoBindingNamesTheKey() {
		StandardEnvironment environment = environment(Map.of("WS_RECONNECT_JITTER", "lots"));
		assertThat(environment.getProperty("ws.reconnect.jitter")).isEqualTo("lots");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> config(environment))
			.withMessageContaining("ws.reconnect.jitter");
	}

	@Test
	void systemPropertiesStillWinOverSeedVariables() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("WS_OPEN_TIMEOUT", "2.5")));
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, new MapPropertySource(
					StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of("ws.open-timeout", "4s")));
		environment.getPropertySources()
			.addLast(new MapPropertySource("application", Map.of("ws.ping-timeout", "9s", "ws.close-timeout", "9s")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		WebSocketConfig config = config(environment);
		assertThat(config.openTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(config.pingTimeout()).isEqualTo(Duration.ofSeconds(9));
	}

	@Test
	void seedVariableWinsOverApplicationProperties() {
		StandardEnvironment environment = environment(Map.of("WS_CLOSE_TIMEOUT", "3.0"),
				Map.of("ws.close-timeout", "9s"));
		assertThat(config(environment).closeTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void redisUrlMapsToSpringDataRedisUrlWhenTheRedisModuleIsEnabled() {
		StandardEnvironment environment = environment(
				Map.of("REDIS_URL", "redis://cache.internal:6380/2", "WS_REDIS_ENABLED", "true"));
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://cache.internal:6380/2");
	}

	@Test
	void redisUrlMapsWhenTheRedisModuleIsEnabledInApplicationProperties() {
		StandardEnvironment environment = environment(Map.of("REDIS_URL", "redis://seed:6379"),
				Map.of("ws.redis.enabled", "true"));
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://seed:6379");
	}

	@Test
	void redisUrlIsLeftToTheApplicationWithoutTheRedisModule() {
		// #4
		assertThat(environment(Map.of("REDIS_URL", "redis://elsewhere:6379")).getProperty("spring.data.redis.url"))
			.isNull();
		assertThat(environment(Map.of("REDIS_URL", "redis://elsewhere:6379", "WS_REDIS_ENABLED", "false"))
			.getProperty("spring.data.redis.url")).isNull();
	}

	@Test
	void springDataRedisUrlWinsOverRedisUrl() {
		StandardEnvironment environment = environment(Map.of("REDIS_URL", "redis://seed:6379", "SPRING_DATA_REDIS_URL",
				"redis://spring:6379", "WS_REDIS_ENABLED", "true"));
		assertThat(environment.getProperty("spring.data.redis.url")).isEqualTo("redis://spring:6379");
	}

	@Test
	void noSeedVariableAddsNoPropertySource() {
		StandardEnvironment environment = environment(Map.of("PATH", "/usr/bin"));
		assertThat(environment.getPropertySources().contains(WsEnvironmentPostProcessor.SEED_PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getPropertySources().contains(WsEnvironmentPostProcessor.REDIS_URL_PROPERTY_SOURCE_NAME))
			.isFalse();
	}

}
