package dev.wsinfra.redis;

import dev.wsinfra.redis.testsupport.RedisServer;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisConsumerManagerIntegrationTests} on one standalone Redis.
 */
class StandaloneRedisConsumerManagerIntegrationTests extends RedisConsumerManagerIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@Override
	AbstractRedisClient newClient() {
		return RedisClient.create(redis.url());
	}

	@Override
	void configSet(String parameter, String value) throws Exception {
		redis.command("CONFIG SET " + parameter + " " + value);
	}

}
