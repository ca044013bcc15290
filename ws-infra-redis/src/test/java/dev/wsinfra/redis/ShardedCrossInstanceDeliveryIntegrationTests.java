package dev.wsinfra.redis;

import dev.wsinfra.redis.testsupport.RedisCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CrossInstanceDeliveryIntegrationTests} on a Redis Cluster of three masters and
 * three replicas, with sharded pub/sub.
 */
class ShardedCrossInstanceDeliveryIntegrationTests extends CrossInstanceDeliveryIntegrationTests {

	@RegisterExtension
	static final RedisCluster redis = new RedisCluster();

	@BeforeAll
	static void startCluster() {
		cluster = Cluster.start(redis, 3);
	}

}
