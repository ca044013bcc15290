package dev.wsinfra.samples.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the sample in this JVM on a real Redis Cluster of three masters and
 * three replicas, with the sample's own configuration: the Redis module on and Boot's
 * cluster nodes, nothing else about Redis, so every key and channel has the sample's
 * default prefix. One user on each instance, and they behave as one server.
 */
class TwoInstancesOnRedisClusterIntegrationTests {

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private SampleClients first;

	private SampleClients second;

	@BeforeAll
	static void startTwoInstances() {
		for (int i = 0; i < 2; i++) {
			// as command-line arguments, which win over the sample's
			// application.properties: loopback, and the settings a deployment sets
			instances.add(new SpringApplicationBuilder(SamplesApplication.class).run("--server.port=0",
					"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--ws.redis.enabled=true",
					"--spring.data.redis.cluster.nodes=" + redis.nodes()));
		}
	}

	@AfterAll
	static void stopInstances() {
		instances.forEach(ConfigurableApplicationContext::close);
		instances.clear();
	}

	@BeforeEach
	void openClients() {
		this.first = new SampleClients(port(0));
		this.second = new SampleClients(port(1));
	}

	@AfterEach
	void closeClients() {
		this.first.close();
		this.second.close();
	}

	@Test // #13
	void bothInstancesAreRedisBackedAndReportTheClusterUp() {
		for (int i = 0; i < instances.size(); i++) {
			assertThat(instances.get(i).getBean(ConnectionManager.class)).isInstanceOf(RedisConnectionManager.class);
			SampleClients clients = (i == 0) ? this.first : this.second;
			JsonNode health = JSON.readTree(clients.get("/actuator/health").body());
			assertThat(health.path("status").asString()).isEqualTo("UP");
			JsonNode redisHealth = health.path("components").path("redis");
			assertThat(redisHealth.path("status").asString()).isEqualTo("UP");
			// Spring Boot's indicator for a cluster: every slot served
			assertThat(redisHealth.path("details").path("slots_up").asInt()).isEqualTo(16384);
		}
	}

	@Test // #13
	void aChatRoomMessageCrossesInstances() {
		WsTestClient alice = this.first.connect("/ws/chat/cluster", "alice");
		assertThat(next(alice).path("message").asString()).isEqualTo("alice joined the room");
		WsTestClient bob = this.second.connect("/ws/chat/cluster", "bob");
		assertThat(next(bob).path("message").asString()).isEqualTo("bob joined the room");
		assertThat(next(alice).path("message").asString()).isEqualTo("bob joined the room");
		WsTestClient carol = this.second.connect("/ws/chat/other", "carol");
		next(carol);

		bob.sendJson(Map.of("message", "hello from instance 1"));
		JsonNode message = next(alice);
		assertThat(message.path("from").asString()).isEqualTo("bob");
		assertThat(message.path("message").asString()).isEqualTo("hello from instance 1");
		alice.sendJson(Map.of("message", "hello from instance 0"));
		assertThat(next(bob).path("message").asString()).isEqualTo("hello from instance 0");
		// A marker through the room's channel: an echo of alice's own message would
		// come first.
		bob.sendJson(Map.of("message", "marker"));
		alice.assertNothingBefore((text) -> text.contains("\"message\":\"marker\""));
		assertNothingMore(carol);

		bob.close();
		assertThat(next(alice).path("message").asString()).isEqualTo("bob left the room");
	}

	@Test // #13
	void aNotificationPostedToOneInstanceReachesTheUserOnTheOther() {
		WsTestClient gil = this.second.connect("/ws/notifications", "gil");
		HttpResponse<String> response = this.first.post("/api/notify/gil", Map.of("text", "across"),
				this.first.token("ops", "notify"));
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(JSON.readTree(response.body()).path("online").asBoolean()).isTrue();
		JsonNode notification = next(gil);
		assertThat(notification.path("type").asString()).isEqualTo("notification");
		assertThat(notification.path("data").path("text").asString()).isEqualTo("across");
		assertNothingMore(gil);
	}

	@Test // #13
	void presenceAndOnlineStateAreSeenFromBothInstances() {
		WsTestClient ann = this.first.connect("/ws/rooms/both", "ann");
		assertThat(next(ann, "presence").path("user").asString()).isEqualTo("ann");
		WsTestClient ben = this.second.connect("/ws/rooms/both", "ben");
		assertThat(next(ann, "presence").path("user").asString()).isEqualTo("ben");
		for (WsTestClient member : List.of(ann, ben)) {
			member.sendJson(Map.of("type", "ws.request", "id", "p1", "method", "ws.presence", "data",
					Map.of("room", "rooms:both")));
			JsonNode reply = next(member, "ws.reply");
			assertThat(reply.path("data").path("users").toString()).isEqualTo("[\"ann\",\"ben\"]");
		}
		for (ConfigurableApplicationContext instance : instances) {
			DistributedConnectionManager manager = instance.getBean(DistributedConnectionManager.class);
			assertThat(manager.isUserOnline("ann")).isTrue();
			assertThat(manager.isUserOnline("ben")).isTrue();
		}

		ben.close();
		JsonNode left = next(ann, "presence");
		assertThat(left.path("user").asString()).isEqualTo("ben");
		assertThat(left.path("event").asString()).isEqualTo("left");
		for (ConfigurableApplicationContext instance : instances) {
			DistributedConnectionManager manager = instance.getBean(DistributedConnectionManager.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> !manager.isUserOnline("ben"));
			assertThat(manager.isUserOnline("ann")).isTrue();
		}
	}

	private static int port(int instance) {
		return ((WebServerApplicationContext) instances.get(instance)).getWebServer().getPort();
	}

}
