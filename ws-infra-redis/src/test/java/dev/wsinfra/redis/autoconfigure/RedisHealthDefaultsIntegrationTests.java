package dev.wsinfra.redis.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import dev.wsinfra.redis.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with the Redis module on, Spring Boot's Actuator and no health settings
 * of its own, during a Redis outage: {@code /actuator/health} says DEGRADED with HTTP
 * 200, as the seed's health check does, unless the application turns Spring Boot's
 * {@code redis} indicator back on.
 */
class RedisHealthDefaultsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() throws Exception {
		if (this.context != null) {
			this.context.close();
		}
		redis.start();
	}

	@Test // #14
	void aRedisOutageIsADegradedStateAnsweredWith200() throws Exception {
		start();
		HttpResponse<String> healthy = health();
		assertThat(healthy.statusCode()).isEqualTo(200);
		JsonNode components = JSON.readTree(healthy.body()).path("components");
		assertThat(components.has("websocket")).isTrue();
		assertThat(components.has("redis")).as("Spring Boot's redis indicator is off by default").isFalse();

		redis.stop();
		await().atMost(WAIT).until(() -> "DEGRADED".equals(JSON.readTree(health().body()).path("status").asString()));
		HttpResponse<String> degraded = health();
		assertThat(degraded.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(degraded.body())
			.path("components")
			.path("websocket")
			.path("details")
			.path("backendConnected")
			.asBoolean(true)).isFalse();
	}

	@Test // #14
	void anApplicationThatTurnsSpringBootsRedisIndicatorOnGets503() throws Exception {
		start("--management.health.redis.enabled=true");
		assertThat(health().statusCode()).isEqualTo(200);

		redis.stop();
		await().atMost(WAIT).until(() -> health().statusCode() == 503);
		assertThat(JSON.readTree(health().body()).path("components").path("redis").path("status").asString())
			.isEqualTo("DOWN");
	}

	private void start(String... arguments) {
		String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
		this.context = new SpringApplicationBuilder(HealthApp.class)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"ws.redis.enabled=true", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + redis.port(), "spring.data.redis.timeout=1s",
					"ws.redis.command-timeout=1s", "ws.redis.key-prefix=" + prefix,
					"management.endpoint.health.show-details=always")
			.run(arguments);
	}

	private HttpResponse<String> health() throws Exception {
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
			.timeout(WAIT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class HealthApp {

	}

}
