package dev.wsinfra.integration;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.server.ConnectionManagerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with a real process environment: a child JVM started with the seed's
 * variables, in the seed's format, binds them as {@code WebSocketConfig.fromEnv()} reads
 * them.
 */
class SeedEnvironmentIntegrationTests {

	@Test
	void childProcessBindsTheSeedVariables() throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				PrintConfig.class.getName());
		builder.environment().put("WS_OPEN_TIMEOUT", "2.5");
		builder.environment().put("WS_PING_INTERVAL", "None");
		builder.environment().put("WS_MAX_MESSAGE_SIZE", "2097152");
		builder.environment().put("WS_RECONNECT_MAX_ATTEMPTS", "0");
		builder.environment().put("WS_RECONNECT_JITTER", "0.3");
		builder.environment().put("WS_MAX_CONNECTIONS_PER_USER", "5");
		builder.environment().put("REDIS_URL", "redis://cache.test:6390");
		builder.environment().put("WS_REDIS_ENABLED", "true");
		builder.redirectErrorStream(true);
		Process process = builder.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		WebSocketConfig expected = WebSocketConfig.fromEnv(Map.of("WS_OPEN_TIMEOUT", "2.5", "WS_PING_INTERVAL", "None",
				"WS_MAX_MESSAGE_SIZE", "2097152", "WS_RECONNECT_MAX_ATTEMPTS", "0", "WS_RECONNECT_JITTER", "0.3"));
		List<String> lines = output.lines().toList();
		assertThat(lines).contains("config=" + expected, "maxConnectionsPerUser=5", "redisUrl=redis://cache.test:6390");
	}

	/**
	 * The child: a non-web application with the core auto-configuration that prints what
	 * it bound.
	 */
	@ImportAutoConfiguration(WsAutoConfiguration.class)
	static class PrintConfig {

		public static void main(String[] args) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PrintConfig.class)
				.web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "logging.level.root=WARN")
				.run(args)) {
				System.out.println("config=" + context.getBean(WebSocketConfig.class));
				System.out.println("maxConnectionsPerUser="
						+ context.getBean(ConnectionManagerSettings.class).maxConnectionsPerUser());
				System.out.println("redisUrl=" + context.getEnvironment().getProperty("spring.data.redis.url"));
			}
		}

	}

}
