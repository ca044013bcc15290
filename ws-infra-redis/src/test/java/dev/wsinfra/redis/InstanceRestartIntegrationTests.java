package dev.wsinfra.redis;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.wsinfra.redis.PresenceEvent.Type;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance with a fixed id (a StatefulSet pod) killed without cleanup and started
 * again before anyone reaped it: the new run removes what the old one left.
 */
class InstanceRestartIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final Queue<PresenceEvent> events = new ConcurrentLinkedQueue<>();

	private Cluster cluster;

	@BeforeEach
	void startCluster() {
		// No other instance, and the default 60 s presence TTL: nobody reaps the
		// killed run.
		this.cluster = Cluster.start(redis, 0);
	}

	@AfterEach
	void stopCluster() {
		this.cluster.close();
	}

	@Test // #5
	void aRunStartedWithTheIdOfAKilledOneRemovesTheConnectionsItLeft() throws Exception {
		int first = this.cluster.startKillableInstance("fixed", "test.max-connections-per-user=1");
		this.cluster.connected(first, "ghost");
		this.cluster.connected(first, "other");
		this.cluster.manager(first).joinRoom("ghost", "haunted");
		this.cluster.kill(first);
		assertThat(this.cluster.redis().hlen(this.cluster.keys().instanceConnections("fixed"))).isEqualTo(2);

		int second = this.cluster.startInstance("fixed", this.events::add, "test.max-connections-per-user=1");

		RedisConnectionManager manager = this.cluster.manager(second);
		assertThat(manager.getOnlineUsers()).isEmpty();
		assertThat(manager.getUserPresence("ghost")).isEmpty();
		assertThat(manager.getRoomUsersGlobal("haunted")).isEmpty();
		assertThat(manager.getUserRooms("ghost")).isEmpty();
		assertThat(this.cluster.redis().exists(this.cluster.keys().instanceConnections("fixed"))).isZero();
		await().atMost(WAIT).until(() -> this.events.size() == 2);
		assertThat(this.events).extracting(PresenceEvent::type).containsOnly(Type.LEFT);
		assertThat(this.events).extracting(PresenceEvent::userId).containsExactlyInAnyOrder("ghost", "other");
		// The ghost no longer counts against the limit of one connection.
		WsTestClient back = this.cluster.connected(second, "ghost");
		assertThat(manager.getUserPresence("ghost").orElseThrow().connections()).hasSize(1);
		manager.sendToUser("ghost", "welcome back");
		back.assertNextTexts("welcome back");
	}

	@Test // #5
	void aRunStartedWithTheIdOfAKilledOneKeepsTheConnectionsOfOtherInstances() throws Exception {
		int survivor = this.cluster.startInstance("survivor");
		int first = this.cluster.startKillableInstance("fixed");
		WsTestClient elsewhere = this.cluster.connected(survivor, "roamer");
		this.cluster.connected(first, "roamer");
		this.cluster.manager(first).joinRoom("roamer", "hall");
		this.cluster.kill(first);

		int second = this.cluster.startInstance("fixed", this.events::add);

		RedisConnectionManager manager = this.cluster.manager(second);
		assertThat(manager.getUserPresence("roamer").orElseThrow().connections())
			.extracting(PresenceConnection::instanceId)
			.containsExactly("survivor");
		assertThat(manager.getRoomUsersGlobal("hall")).containsExactly("roamer");
		manager.broadcastToRoom("hall", "still in the hall");
		elsewhere.assertNextTexts("still in the hall");
		assertThat(this.events).isEmpty();
	}

}
