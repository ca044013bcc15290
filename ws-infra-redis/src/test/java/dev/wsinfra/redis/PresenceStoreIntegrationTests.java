package dev.wsinfra.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.wsinfra.redis.internal.LuaScript;
import dev.wsinfra.redis.internal.LuaScripts;
import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.redis.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The presence steps, each on the keys of one user, room, instance or partition, on a
 * real Redis: refreshing the users' presence keys, restoring a user's rooms, and the
 * repair of a departure that a crash interrupted between its steps.
 */
class PresenceStoreIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisKeys keys = new RedisKeys("pst:");

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private RedisGateway gateway;

	private PresenceStore store;

	@BeforeEach
	void connect() {
		this.client = RedisClient.create(redis.url());
		this.connection = this.client.connect(StringCodec.UTF8);
		this.connection.sync().flushall();
		this.gateway = new RedisGateway(this.connection, Duration.ofSeconds(5));
		this.gateway.load(LuaScripts.all());
		this.store = store("pst-1", Duration.ZERO);
	}

	private PresenceStore store(String instanceId, Duration grace) {
		RedisConnectionManagerOptions options = RedisConnectionManagerOptions.builder()
			.instanceId(instanceId)
			.presenceTtl(Duration.ofMinutes(5))
			.presenceGracePeriod(grace)
			.build();
		return new PresenceStore(this.gateway, this.keys, JsonMapper.builder().build(), options, new ServerRun(),
				ScriptPublish.PLAIN);
	}

	// What a crash leaves when an instance took the user's step of a removal only.
	private List<Object> userStepOnly(String script, String userId, String... args) {
		LuaScript step = LuaScripts.all().stream().filter((s) -> s.name().equals(script)).findFirst().orElseThrow();
		String[] keys = { this.keys.presence(userId), this.keys.userState(userId), this.keys.userRooms(userId) };
		return this.gateway.eval(step, keys, args);
	}

	private void assertDeparted(String userId, String... rooms) {
		assertThat(this.store.isOnline(userId)).isFalse();
		assertThat(this.store.onlineUsers()).doesNotContain(userId);
		assertThat(this.store.userRooms(userId)).isEmpty();
		for (String room : rooms) {
			assertThat(this.store.roomMembers(room)).doesNotContain(userId);
		}
		assertThat(this.connection.sync().exists(this.keys.userState(userId))).isZero();
		assertThat(this.connection.sync().zcard(this.keys.leaving(0))).isZero();
	}

	@AfterEach
	void close() {
		this.connection.close();
		this.client.shutdown();
	}

	@Test // #13
	void refreshingPresenceExtendsEachUsersKeyAndCountsTheMissingOnes() {
		this.store.register("c1", "alice", this.store.entry(Instant.now(), Map.of()), 0);
		this.connection.sync().pexpire(this.keys.presence("alice"), 1000);

		assertThat(this.store.refreshPresence(List.of("alice", "bob", "carol"))).isEqualTo(2);
		assertThat(this.connection.sync().pttl(this.keys.presence("alice"))).isGreaterThan(60_000);
	}

	@Test // #13
	void restoringRoomsPutsBackTheUsersSetAndEachRoomsMembers() {
		this.connection.sync().sadd(this.keys.userRooms("alice"), "kept");

		assertThat(this.store.restoreRooms("alice", List.of("ops", "lobby"))).containsExactlyInAnyOrder("kept", "ops",
				"lobby");
		assertThat(this.store.roomMembers("ops")).containsExactly("alice");
		assertThat(this.store.roomMembers("lobby")).containsExactly("alice");
		assertThat(this.store.userRooms("alice")).containsExactlyInAnyOrder("kept", "ops", "lobby");
	}

	@Test // #13
	void aDepartureACrashInterruptedAfterTheUsersStepIsFinishedByTheReaper() {
		this.store.register("c1", "alice", this.store.entry(Instant.now(), Map.of()), 0);
		this.store.joinRoom("alice", "ops", "{}");
		this.store.joinRoom("alice", "lobby", "{}");
		// pst-1 took the user's step of removing c1, then died: the user is departing,
		// still a member of both rooms, and c1 still in pst-1's inventory.
		assertThat(userStepOnly("disconnect", "alice", "c1", "0")).containsExactlyInAnyOrder(2L, "ops", "lobby");
		assertThat(this.store.roomMembers("ops")).containsExactly("alice");

		List<PresenceStore.Departure> left = store("pst-2", Duration.ZERO).reap("pst-1");

		assertThat(left).singleElement().satisfies((departure) -> {
			assertThat(departure.userId()).isEqualTo("alice");
			assertThat(departure.rooms()).containsExactlyInAnyOrder("ops", "lobby");
		});
		assertDeparted("alice", "ops", "lobby");
		assertThat(this.connection.sync().exists(this.keys.instanceConnections("pst-1"))).isZero();
		assertThat(this.store.instances()).doesNotContain("pst-1");
	}

	@Test // #13
	void aDeferredLeaveACrashInterruptedAfterTheUsersStepIsFinishedByTheNextPass() {
		PresenceStore store = store("pst-1", Duration.ofMillis(1));
		store.register("c1", "bob", store.entry(Instant.now(), Map.of()), 0);
		store.joinRoom("bob", "ops", "{}");
		assertThat(this.gateway.await(store.unregisterAsync("c1", "bob"), "disconnect").result()).isOne();
		assertThat(this.connection.sync().zcard(this.keys.leaving(0))).isOne();
		await().atMost(Duration.ofSeconds(5)).until(() -> (Long) userStepOnly("finish-leave", "bob").get(0) == 2L);

		assertThat(store.finishLeaves()).containsExactly(new PresenceStore.Departure("bob", List.of("ops")));
		assertThat(store.finishLeaves()).as("reported once").isEmpty();
		assertDeparted("bob", "ops");
	}

	@Test // #13
	void aConnectionThatOvertakesADepartureComesBackWithoutTheRoomsAndTheirMembersLoseTheUser() {
		this.store.register("c1", "carol", this.store.entry(Instant.now(), Map.of()), 0);
		this.store.joinRoom("carol", "ops", "{}");
		userStepOnly("disconnect", "carol", "c1", "0");

		PresenceStore other = store("pst-2", Duration.ZERO);
		PresenceStore.Registration back = other.register("c2", "carol", other.entry(Instant.now(), Map.of()), 0);

		assertThat(back.joined()).isTrue();
		assertThat(back.rooms()).isEmpty();
		assertThat(back.overtaken()).isEqualTo(new PresenceStore.Departure("carol", List.of("ops")));
		assertThat(this.store.roomMembers("ops")).isEmpty();
		assertThat(this.store.isOnline("carol")).isTrue();
		assertThat(other.reap("pst-1")).as("reported once, by the connection").isEmpty();
		assertThat(this.store.isOnline("carol")).isTrue();
		assertThat(this.store.onlineUsers()).containsExactly("carol");
		assertThat(this.store.connections("carol")).extracting(PresenceConnection::connectionId).containsExactly("c2");
	}

	@Test // #13
	void theUserAtTheLimitIsRefusedAndLeavesNoTraceInTheInventory() {
		this.store.register("c1", "dan", this.store.entry(Instant.now(), Map.of()), 1);

		assertThat(this.store.register("c2", "dan", this.store.entry(Instant.now(), Map.of()), 1).refused()).isTrue();
		assertThat(this.store.inventory()).containsOnlyKeys("c1");
		assertThat(this.store.connections("dan")).hasSize(1);
	}

	@Test // #13
	void aHeartbeatPutsBackUsersTheOnlineIndexLost() {
		this.store.register("c1", "erin", this.store.entry(Instant.now(), Map.of()), 0);
		this.connection.sync().del(this.keys.onlineUsers(0));

		this.store.refreshPresence(List.of("erin"));

		assertThat(this.store.onlineUsers()).containsExactly("erin");
		assertThat(this.store.onlineUserCount()).isOne();
	}

}
