package dev.wsinfra.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.wsinfra.redis.internal.ClusterKeyLayout;
import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.RedisKeys;
import dev.wsinfra.redis.testsupport.RedisCluster;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.test.WsTestClient;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Several {@link ClusterApp} instances in this JVM on random ports, sharing one Redis
 * under a key prefix of their own, with the real WebSocket clients opened on them and a
 * plain Lettuce connection for looking into Redis. The Redis is a standalone server or a
 * Redis Cluster, where the keys and channels spread over the slots ({@link #keys()}).
 */
final class Cluster implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final @Nullable RedisServer redis;

	private final @Nullable RedisCluster redisCluster;

	private final String prefix;

	private final String password = UUID.randomUUID().toString();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	// The Redis user each instance connects as: its own, so that kill(...) can cut it
	// off.
	private final List<String> users = new ArrayList<>();

	private final List<WsTestClient> clients = new ArrayList<>();

	private final AbstractRedisClient inspector;

	private final StatefulConnection<String, String> inspection;

	private final RedisClusterCommands<String, String> commands;

	private Cluster(RedisServer redis) {
		String id = UUID.randomUUID().toString().substring(0, 8);
		this.redis = redis;
		this.redisCluster = null;
		this.prefix = "t" + id + ":";
		RedisClient client = RedisClient.create(redis.url());
		StatefulRedisConnection<String, String> connection = client.connect();
		this.inspector = client;
		this.inspection = connection;
		this.commands = connection.sync();
	}

	private Cluster(RedisCluster redisCluster) {
		String id = UUID.randomUUID().toString().substring(0, 8);
		this.redis = null;
		this.redisCluster = redisCluster;
		this.prefix = "t" + id + ":";
		RedisClusterClient client = RedisClusterClient.create("redis://" + redisCluster.nodes().split(",")[0]);
		StatefulRedisClusterConnection<String, String> connection = client.connect();
		this.inspector = client;
		this.inspection = connection;
		this.commands = connection.sync();
	}

	/**
	 * Starts instances named {@code i0}, {@code i1}, ... with the given extra properties.
	 */
	static Cluster start(RedisServer redis, int instances, String... properties) {
		return startInstances(new Cluster(redis), instances, properties);
	}

	/**
	 * Starts instances named {@code i0}, {@code i1}, ... on a Redis Cluster, with the
	 * given extra properties.
	 */
	static Cluster start(RedisCluster redis, int instances, String... properties) {
		return startInstances(new Cluster(redis), instances, properties);
	}

	private static Cluster startInstances(Cluster cluster, int instances, String... properties) {
		try {
			for (int i = 0; i < instances; i++) {
				cluster.startInstance("i" + i, properties);
			}
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	/**
	 * Starts one more instance.
	 * @return its index
	 */
	int startInstance(String instanceId, String... properties) {
		return startInstance(instanceId, null, false, properties);
	}

	/**
	 * Starts one more instance whose manager tells a listener from its start.
	 * @return its index
	 */
	int startInstance(String instanceId, @Nullable PresenceListener listener, String... properties) {
		return startInstance(instanceId, listener, false, properties);
	}

	/**
	 * Starts one more instance that {@link #kill(int)} can kill. It connects to Redis as
	 * a user of its own, created on every node of a cluster, which a restart of Redis
	 * forgets: not for outage tests.
	 * @return its index
	 */
	int startKillableInstance(String instanceId, String... properties) {
		return startInstance(instanceId, null, true, properties);
	}

	private int startInstance(String instanceId, @Nullable PresenceListener listener, boolean killable,
			String... properties) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("server.port", "0");
		defaults.put("server.address", "127.0.0.1");
		defaults.put("spring.main.banner-mode", "off");
		if (this.redisCluster != null) {
			defaults.put("spring.data.redis.cluster.nodes", this.redisCluster.nodes());
			// Bounded, as the docs advise: a command to a dead master fails in time.
			defaults.put("spring.data.redis.timeout", "2s");
		}
		else if (this.redis != null) {
			defaults.put("spring.data.redis.host", "127.0.0.1");
			defaults.put("spring.data.redis.port", Integer.toString(this.redis.port()));
		}
		String user = killable ? this.prefix + instanceId : null;
		if (user != null) {
			createUser(user);
			defaults.put("spring.data.redis.username", user);
			defaults.put("spring.data.redis.password", this.password);
		}
		defaults.put("ws.redis.enabled", "true");
		defaults.put("ws.redis.key-prefix", this.prefix);
		defaults.put("ws.redis.instance-id", instanceId);
		// Names the instance's Redis connections, so that tests can find them in
		// CLIENT LIST.
		defaults.put("spring.data.redis.client-name", instanceId);
		defaults.put("logging.level.org.apache", "warn");
		defaults.put("logging.level.org.springframework", "warn");
		defaults.put("logging.level.io.lettuce", "warn");
		SpringApplicationBuilder builder = new SpringApplicationBuilder(ClusterApp.class).properties(defaults)
			.properties(properties);
		if (listener != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("presenceListener", listener));
		}
		ConfigurableApplicationContext context = builder.run();
		this.contexts.add(context);
		this.users.add(user);
		return this.contexts.size() - 1;
	}

	String prefix() {
		return this.prefix;
	}

	/** The names of the instances' keys and channels, for looking into Redis. */
	KeyLayout keys() {
		return (this.redisCluster != null) ? new ClusterKeyLayout(this.prefix, ClusterKeyLayout.DEFAULT_PARTITIONS)
				: new RedisKeys(this.prefix);
	}

	ConfigurableApplicationContext context(int instance) {
		return this.contexts.get(instance);
	}

	RedisConnectionManager manager(int instance) {
		return context(instance).getBean(RedisConnectionManager.class);
	}

	URI uri(int instance, String query) {
		int port = ((WebServerApplicationContext) context(instance)).getWebServer().getPort();
		return URI.create("ws://127.0.0.1:" + port + "/ws?" + query);
	}

	/**
	 * Opens a client on an instance as a user; the manager registers it shortly after.
	 */
	WsTestClient connect(int instance, String user) throws Exception {
		return open(instance, "user=" + user);
	}

	/**
	 * Opens a client on an instance as a user and waits until the manager registered it.
	 */
	WsTestClient connected(int instance, String user) throws Exception {
		return connected(instance, "user=" + user, user);
	}

	/**
	 * Opens a client on an instance with a query string and waits until the manager
	 * registered it.
	 */
	WsTestClient connected(int instance, String query, String user) throws Exception {
		int before = manager(instance).getUserConnections(user).size();
		WsTestClient client = open(instance, query);
		await().atMost(WAIT).until(() -> manager(instance).getUserConnections(user).size() == before + 1);
		return client;
	}

	/** Opens a client on an instance with a query string. */
	WsTestClient open(int instance, String query) throws Exception {
		WsTestClient client = WsTestClient.open(uri(instance, query));
		this.clients.add(client);
		return client;
	}

	/** Looks into Redis. */
	RedisClusterCommands<String, String> redis() {
		return this.commands;
	}

	/** Returns whether the instances run on a Redis Cluster. */
	boolean sharded() {
		return this.redisCluster != null;
	}

	/**
	 * Returns how many connections subscribe to a channel: with {@code SUBSCRIBE} on a
	 * standalone Redis, with {@code SSUBSCRIBE} at the master of its slot on a cluster.
	 */
	long subscribers(String channel) throws Exception {
		if (this.redisCluster == null) {
			return this.commands.pubsubNumsub(channel).get(channel);
		}
		RedisCluster.Node master = this.redisCluster.masterOf(this.redisCluster.slot(channel));
		String[] reply = this.redisCluster.command(master.port(), "PUBSUB", "SHARDNUMSUB", channel).trim().split("\n");
		return Long.parseLong(reply[reply.length - 1].trim());
	}

	/**
	 * Cuts an instance off Redis, then closes it: what it held in Redis stays, as after a
	 * kill -9. Its Redis user is disabled and its connections killed, on every node of a
	 * cluster, so that neither its reconnections nor its cleanup reach Redis.
	 */
	void kill(int instance) {
		String user = this.users.get(instance);
		if (user == null) {
			throw new IllegalStateException("Instance " + instance + " was not started killable");
		}
		if (this.redisCluster == null) {
			redis().aclSetuser(user, AclSetuserArgs.Builder.off());
			redis().clientKill(KillArgs.Builder.user(user));
		}
		else {
			// Off everywhere first, so that a connection killed on one node cannot come
			// back through another.
			onEveryNode("ACL", "SETUSER", user, "off");
			onEveryNode("CLIENT", "KILL", "USER", user);
		}
		context(instance).close();
	}

	// An instance's own Redis user. Users are per node on a cluster: the instance's
	// client talks to every node, masters and replicas.
	private void createUser(String user) {
		if (this.redisCluster == null) {
			redis().aclSetuser(user,
					AclSetuserArgs.Builder.on().addPassword(this.password).allKeys().allChannels().allCommands());
		}
		else {
			onEveryNode("ACL", "SETUSER", user, "on", ">" + this.password, "~*", "&*", "+@all");
		}
	}

	private void onEveryNode(String... command) {
		RedisCluster redisCluster = Objects.requireNonNull(this.redisCluster);
		try {
			for (int port : redisCluster.ports()) {
				redisCluster.command(port, command);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		for (WsTestClient client : this.clients) {
			client.close();
		}
		for (ConfigurableApplicationContext context : this.contexts) {
			context.close();
		}
		this.inspection.close();
		this.inspector.shutdown();
	}

}
