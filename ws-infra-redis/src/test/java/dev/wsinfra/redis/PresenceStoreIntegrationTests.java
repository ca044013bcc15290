package dev.wsinfra.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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

/**
 * The presence steps that touch one key at a time, on a real Redis: refreshing the users'
 * presence keys, and restoring a user's rooms (the user's set, then each room's).
 */
class PresenceStoreIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisKeys keys = new RedisKeys("pst:");

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private PresenceStore store;

	@BeforeEach
	void connect() {
		this.client = RedisClient.create(redis.url());
		this.connection = this.client.connect(StringCodec.UTF8);
		RedisConnectionManagerOptions options = RedisConnectionManagerOptions.builder()
			.instanceId("pst-1")
			.presenceTtl(Duration.ofMinutes(5))
			.build();
		this.store = new PresenceStore(new RedisGateway(this.connection, Duration.ofSeconds(5)), this.keys,
				JsonMapper.builder().build(), options, new ServerRun(),
				ScriptPublish.plain(this.keys.broadcastChannel()));
		this.connection.sync().flushall();
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

}
