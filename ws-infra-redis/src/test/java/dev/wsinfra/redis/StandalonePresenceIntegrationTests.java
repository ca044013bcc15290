package dev.wsinfra.redis;

import dev.wsinfra.redis.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PresenceIntegrationTests} on one standalone Redis.
 */
class StandalonePresenceIntegrationTests extends PresenceIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@BeforeAll
	static void startCluster() {
		startCluster(Cluster.start(redis, 2, "ws.redis.presence-ttl=" + TTL.toMillis() + "ms",
				"test.max-connections-per-user=2"));
	}

}
