package dev.wsinfra.samples.cluster;

import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.samples.SamplesApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sample on a real Redis Cluster of three masters and three
 * replicas, with the sample's own configuration: the Redis module on and Boot's cluster
 * nodes, nothing else about Redis, so every key and channel has the sample's default
 * prefix.
 */
class TwoInstancesOnRedisClusterIntegrationTests extends AbstractTwoInstancesIntegrationTests {

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	@Override
	ConfigurableApplicationContext start(int index) {
		// as command-line arguments, which win over the sample's
		// application.properties: loopback, and the settings a deployment sets
		return new SpringApplicationBuilder(SamplesApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--ws.redis.enabled=true",
				"--spring.data.redis.cluster.nodes=" + redis.nodes());
	}

	@Test // #13
	void bothInstancesReportTheClusterUp() {
		for (int i = 0; i < 2; i++) {
			JsonNode health = JSON.readTree(((i == 0) ? this.first : this.second).get("/actuator/health").body());
			assertThat(health.path("status").asString()).isEqualTo("UP");
			JsonNode redisHealth = health.path("components").path("redis");
			assertThat(redisHealth.path("status").asString()).isEqualTo("UP");
			// Spring Boot's indicator for a cluster: every slot served
			assertThat(redisHealth.path("details").path("slots_up").asInt()).isEqualTo(16384);
		}
	}

}
