package dev.wsinfra.samples.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.endpoint.WsReply;
import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.samples.support.SharedState;
import dev.wsinfra.samples.support.SharedState.Change;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.wsinfra.samples.testsupport.SampleAppTests.assertError;
import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the sample in this JVM, on random ports, with the Redis module on and
 * a real {@code redis-server}: one user on each, and they behave as one server.
 */
class TwoInstancesIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private SampleClients first;

	private SampleClients second;

	@BeforeAll
	static void startTwoInstances() {
		String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
		String secret = "a-shared-secret-for-both-instances-" + UUID.randomUUID();
		for (String instance : List.of("i0", "i1")) {
			// as command-line arguments, which win over the
			// sample's application.properties
			instances
				.add(new SpringApplicationBuilder(SamplesApplication.class, AskHandler.class).run("--server.port=0",
						"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--ws.redis.enabled=true",
						"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
						"--ws.redis.key-prefix=" + prefix + "ws:", "--samples.redis.key-prefix=" + prefix + "samples:",
						"--ws.redis.instance-id=" + instance, "--ws.auth.jwt.secret=" + secret,
						"--samples.dashboard.interval=200ms", "--samples.stocks.interval=200ms"));
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

	@Test
	void theManagerIsRedisBackedOnBoth() {
		for (ConfigurableApplicationContext instance : instances) {
			assertThat(instance.getBean(ConnectionManager.class)).isInstanceOf(RedisConnectionManager.class);
		}
	}

	@Test
	void usersOnTwoInstancesChatInOneRoom() {
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

	@Test
	void aGameCreatedOnOneInstanceIsJoinedAndPlayedOnTheOther() {
		WsTestClient host = this.first.connect("/ws/game", "host");
		WsTestClient guest = this.second.connect("/ws/game", "guest");
		host.sendJson(Map.of("type", "create"));
		String id = next(host).path("game_id").asString();
		guest.sendJson(Map.of("type", "join", "game_id", id));
		assertThat(next(host).path("player_id").asString()).isEqualTo("guest");
		assertThat(next(guest).path("type").asString()).isEqualTo("player_joined");
		host.sendJson(Map.of("type", "start", "game_id", id));
		assertThat(next(guest).path("type").asString()).isEqualTo("game_started");
		next(host);
		WsTestClient late = this.second.connect("/ws/game", "late");
		late.sendJson(Map.of("type", "join", "game_id", id));
		assertError(next(late), "game_in_progress");
		host.sendJson(Map.of("type", "action", "game_id", id, "action", Map.of("add", 2)));
		assertThat(next(guest).path("result").path("total").asInt()).isEqualTo(2);
		assertNothingMore(late);
	}

	@Test
	void editsOnBothInstancesBuildOneDocument() {
		WsTestClient ed = this.first.connect("/ws/docs/shared", "ed");
		next(ed);
		WsTestClient flo = this.second.connect("/ws/docs/shared", "flo");
		next(flo);
		next(ed);
		ed.sendJson(Map.of("type", "insert", "position", 0, "content", "ab", "version", 0));
		assertThat(next(ed).path("version").asLong()).isEqualTo(1);
		assertThat(next(flo).path("operation").path("content").asString()).isEqualTo("ab");
		// both edit version 1: ed appends on instance 0, flo prepends on instance 1
		ed.sendJson(Map.of("type", "insert", "position", 2, "content", "X", "version", 1));
		assertThat(next(ed).path("version").asLong()).isEqualTo(2);
		assertThat(next(flo).path("operation").path("content").asString()).isEqualTo("X");
		flo.sendJson(Map.of("type", "insert", "position", 0, "content", "Y", "version", 1));
		JsonNode ack = next(flo);
		assertThat(ack.path("version").asLong()).isEqualTo(3);
		assertThat(ack.path("operations").get(0).path("position").asInt()).isZero();
		assertThat(next(ed).path("operation").path("content").asString()).isEqualTo("Y");
		flo.sendJson(Map.of("type", "sync"));
		assertThat(next(flo).path("content").asString()).isEqualTo("YabX");
	}

	@Test
	void aNotificationPostedToOneInstanceReachesTheUserOnTheOther() {
		WsTestClient gil = this.second.connect("/ws/notifications", "gil");
		assertThat(this.first.post("/api/notify/gil", Map.of("text", "across"), this.first.token("ops", "notify"))
			.statusCode()).isEqualTo(202);
		JsonNode notification = next(gil);
		assertThat(notification.path("type").asString()).isEqualTo("notification");
		assertThat(notification.path("data").path("text").asString()).isEqualTo("across");
	}

	@Test
	void onlyOneInstanceSendsTheDashboardUpdates() {
		WsTestClient onFirst = this.first.connect("/ws/dashboard/live", "hal");
		WsTestClient onSecond = this.second.connect("/ws/dashboard/live", "ida");
		// each connection's own first update, from its instance, is one of its first
		// two messages
		for (int i = 0; i < 2; i++) {
			next(onFirst);
			next(onSecond);
		}
		Set<String> senders = new HashSet<>();
		for (int i = 0; i < 5; i++) {
			senders.add(next(onFirst).path("data").path("instanceId").asString());
			senders.add(next(onSecond).path("data").path("instanceId").asString());
		}
		assertThat(senders).hasSize(1);
	}

	@Test
	void sharedStateUpdatesFromBothInstancesAreAtomic() throws Exception {
		String key = "counter-" + UUID.randomUUID();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				SharedState state = instances.get(t % 2).getBean(SharedState.class);
				work.add(threads.submit(() -> {
					for (int i = 0; i < 50; i++) {
						state.update(key, Integer.class, Duration.ofMinutes(1),
								(current) -> Change.write(((current != null) ? current : 0) + 1, Boolean.TRUE));
					}
				}));
			}
			for (Future<?> future : work) {
				future.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(instances.get(1).getBean(SharedState.class).read(key, Integer.class)).hasValue(200);
	}

	@Test // #16
	void aRequestToOneInstanceIsAnsweredByTheOtherThroughRedis() throws Exception {
		WsTestClient asker = this.first.connect("/test/ask", "asker");
		asker.sendJson(Map.of("type", "ws.request", "id", "c1.7", "method", "where", "data", Map.of()));
		assertThat(AskHandler.asked.poll(10, TimeUnit.SECONDS)).isEqualTo("asker c1.7");
		// the worker on the other instance, which holds no connection of the user
		ConnectionManager other = instances.get(1).getBean(ConnectionManager.class);
		assertThat(other.getUserConnections("asker")).isEmpty();
		other.sendToUser("asker", WsReply.success("c1.7", Map.of("answeredBy", "i1")));
		assertThat(asker.nextText())
			.isEqualTo("{\"type\":\"ws.reply\",\"id\":\"c1.7\",\"data\":{\"answeredBy\":\"i1\"}}");
	}

	@Test // #16
	void presenceListsTheRoomsMembersOnBothInstances() {
		WsTestClient ann = this.first.connect("/ws/rooms/both", "ann");
		assertThat(next(ann, "presence").path("user").asString()).isEqualTo("ann");
		WsTestClient ben = this.second.connect("/ws/rooms/both", "ben");
		assertThat(next(ann, "presence").path("user").asString()).isEqualTo("ben");
		ann.sendJson(Map.of("type", "ws.request", "id", "p1", "method", "ws.presence", "data",
				Map.of("room", "rooms:both")));
		JsonNode reply = next(ann, "ws.reply");
		assertThat(reply.path("data").path("users").toString()).isEqualTo("[\"ann\",\"ben\"]");
		ben.sendJson(Map.of("message", "persisted across instances"));
		assertThat(next(ann, "message").path("data").path("from").asString()).isEqualTo("ben");
		ann.sendJson(Map.of("type", "ws.request", "id", "h1", "method", "history"));
		JsonNode history = next(ann, "ws.reply");
		assertThat(history.path("data").path("messages").get(0).path("data").path("message").asString())
			.isEqualTo("persisted across instances");
	}

	private static int port(int instance) {
		return ((WebServerApplicationContext) instances.get(instance)).getWebServer().getPort();
	}

}
