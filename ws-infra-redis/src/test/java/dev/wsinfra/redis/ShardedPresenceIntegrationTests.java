package dev.wsinfra.redis;

import dev.wsinfra.redis.testsupport.RedisCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PresenceIntegrationTests} on a Redis Cluster of three masters and three
 * replicas.
 */
class ShardedPresenceIntegrationTests extends PresenceIntegrationTests {

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	@BeforeAll
	static void startCluster() {
		startCluster(Cluster.start(redis, 2, "ws.redis.presence-ttl=" + TTL.toMillis() + "ms",
				"test.max-connections-per-user=2"));
	}

}
