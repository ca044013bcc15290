package dev.wsinfra.redis;

import dev.wsinfra.redis.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CrossInstanceDeliveryIntegrationTests} on one standalone Redis, with plain
 * pub/sub.
 */
class StandaloneCrossInstanceDeliveryIntegrationTests extends CrossInstanceDeliveryIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 3);
	}

}
