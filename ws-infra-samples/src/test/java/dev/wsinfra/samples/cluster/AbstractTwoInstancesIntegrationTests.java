package dev.wsinfra.samples.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.samples.support.SharedState;
import dev.wsinfra.samples.support.SharedState.Change;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.wsinfra.samples.testsupport.SampleAppTests.assertError;
import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What two instances of the sample with the Redis module on do together, whatever Redis
 * they share: one user on each, and they behave as one server. The instances run in this
 * JVM, on random ports, started once for the class by the subclass.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractTwoInstancesIntegrationTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	SampleClients first;

	SampleClients second;

	/**
	 * Starts an instance of the sample on the subclass's Redis.
	 * @param index 0 or 1
	 * @return the running instance
	 */
	abstract ConfigurableApplicationContext start(int index);

	@BeforeAll
	void startTwoInstances() {
		for (int i = 0; i < 2; i++) {
			this.instances.add(start(i));
		}
	}

	@AfterAll
	void stopInstances() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.instances.clear();
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
		for (int i = 0; i < 2; i++) {
			assertThat(instance(i).getBean(ConnectionManager.class)).isInstanceOf(RedisConnectionManager.class);
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
		HttpResponse<String> response = this.first.post("/api/notify/gil", Map.of("text", "across"),
				this.first.token("ops", "notify"));
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(JSON.readTree(response.body()).path("online").asBoolean()).isTrue();
		JsonNode notification = next(gil);
		assertThat(notification.path("type").asString()).isEqualTo("notification");
		assertThat(notification.path("data").path("text").asString()).isEqualTo("across");
		assertNothingMore(gil);
	}

	@Test
	void sharedStateUpdatesFromBothInstancesAreAtomic() throws Exception {
		String key = "counter-" + UUID.randomUUID();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				SharedState state = instance(t % 2).getBean(SharedState.class);
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
		assertThat(instance(1).getBean(SharedState.class).read(key, Integer.class)).hasValue(200);
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

	@Test // #13
	void bothInstancesSeeAUserOnlineUntilItsLastConnectionCloses() {
		WsTestClient joe = this.first.connect("/ws/notifications", "joe");
		WsTestClient kim = this.second.connect("/ws/notifications", "kim");
		List<DistributedConnectionManager> managers = List.of(manager(0), manager(1));
		// the server registers a connection once established, after the client sees it
		// open
		for (DistributedConnectionManager manager : managers) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> manager.isUserOnline("joe") && manager.isUserOnline("kim"));
		}
		kim.close();
		for (DistributedConnectionManager manager : managers) {
			await().atMost(Duration.ofSeconds(10)).until(() -> !manager.isUserOnline("kim"));
			assertThat(manager.isUserOnline("joe")).isTrue();
		}
		assertNothingMore(joe);
	}

	ConfigurableApplicationContext instance(int index) {
		return this.instances.get(index);
	}

	int port(int index) {
		return ((WebServerApplicationContext) instance(index)).getWebServer().getPort();
	}

	private DistributedConnectionManager manager(int index) {
		return instance(index).getBean(DistributedConnectionManager.class);
	}

}
