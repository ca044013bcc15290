package dev.wsinfra.redis;

import java.time.Duration;

import dev.wsinfra.redis.testsupport.RedisCluster;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test // #13
	void theClusterClientFollowsTopologyChangesByDefault() {
		Object client = cluster.context(0).getBean(LettuceConnectionFactory.class).getNativeClient();
		assertThat(client).isInstanceOf(RedisClusterClient.class);
		ClusterClientOptions options = (ClusterClientOptions) ((RedisClusterClient) client).getOptions();
		ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
		assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
		assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
		assertThat(refresh.getAdaptiveRefreshTriggers()).isNotEmpty();
	}

}
