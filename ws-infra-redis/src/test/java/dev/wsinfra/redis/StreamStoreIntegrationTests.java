package dev.wsinfra.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.redis.internal.ShardedPublisher;
import dev.wsinfra.redis.internal.StreamEntry;
import dev.wsinfra.redis.testsupport.RedisServer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The append script on a real Redis: a room's entry goes into the room's hash slot and is
 * published with the command its subscribers use, sharded or plain.
 */
class StreamStoreIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisKeys keys = new RedisKeys("sst:");

	private final BlockingQueue<String> plain = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> sharded = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> shardedMessages = new LinkedBlockingQueue<>();

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private StatefulRedisPubSubConnection<String, String> subscriber;

	private RedisGateway gateway;

	@BeforeEach
	void connect() {
		this.client = RedisClient.create(redis.url());
		this.connection = this.client.connect(StringCodec.UTF8);
		this.gateway = new RedisGateway(this.connection, Duration.ofSeconds(5));
		this.subscriber = this.client.connectPubSub(StringCodec.UTF8);
		this.subscriber.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String channel, String message) {
				StreamStoreIntegrationTests.this.plain.add(channel);
			}

			@Override
			public void smessage(String channel, String message) {
				StreamStoreIntegrationTests.this.sharded.add(channel);
				StreamStoreIntegrationTests.this.shardedMessages.add(message);
			}

		});
		this.subscriber.sync().subscribe("plain-channel");
		this.subscriber.sync().ssubscribe("sharded-channel");
	}

	@AfterEach
	void close() {
		this.subscriber.close();
		this.connection.close();
		this.client.shutdown();
	}

	private StreamStore store(boolean sharded, ServerRun run) {
		RedisConnectionManagerOptions options = RedisConnectionManagerOptions.builder().instanceId("sst-1").build();
		return new StreamStore(this.gateway, this.keys, options, run,
				sharded ? ScriptPublish.SHARDED : ScriptPublish.PLAIN);
	}

	private String serverRun() {
		String info = this.connection.sync().info("server");
		int at = info.indexOf("run_id:") + "run_id:".length();
		return info.substring(at, at + 16);
	}

	@Test // #13
	void aShardedAppendUsesSpublishAndTheRunOfTheNodeNotTheCachedOne() throws InterruptedException {
		ServerRun stale = new ServerRun();
		stale.seen(stale.generation(), "0123456789abcdef");
		StreamEntry entry = store(true, stale).append("room:lobby", "sharded-channel", "hello", null);

		assertThat(this.sharded.poll(10, TimeUnit.SECONDS)).isEqualTo("sharded-channel");
		assertThat(this.shardedMessages.poll(10, TimeUnit.SECONDS)).startsWith(ShardedPublisher.UNORDERED_PREFIX)
			.contains("\"data\":\"hello\"");
		List<StreamMessage<String, String>> stored = this.connection.sync()
			.xrange(this.keys.roomStream("lobby"), Range.create(entry.id(), entry.id()));
		assertThat(stored).hasSize(1);
		Map<String, String> body = stored.get(0).getBody();
		assertThat(body).containsEntry("data", "hello").containsEntry("run", serverRun());
		assertThat(this.plain).isEmpty();
	}

	@Test // #13
	void aPlainAppendUsesPublishAndAUserStreamIsInTheUsersSlot() throws InterruptedException {
		StreamEntry entry = store(false, new ServerRun()).append("user:alice", "plain-channel", "hi", null);

		assertThat(this.plain.poll(10, TimeUnit.SECONDS)).isEqualTo("plain-channel");
		assertThat(this.connection.sync().xrange(this.keys.userStream("alice"), Range.create(entry.id(), entry.id())))
			.hasSize(1);
		assertThat(this.sharded).isEmpty();
	}

}
