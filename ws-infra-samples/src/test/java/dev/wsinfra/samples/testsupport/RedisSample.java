package dev.wsinfra.samples.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.SamplesApplication;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance of the sample in this JVM, on a random loopback port, with the Redis
 * module on and a test's own {@code redis-server}, under a key prefix of its own, its
 * health checked once. Its settings are the sample's {@code application.properties} but
 * for those given as command-line arguments.
 */
public final class RedisSample implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RedisSample(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts an instance.
	 * @param redis the Redis server, running
	 * @param arguments further command-line arguments, such as
	 * {@code --samples.stocks.interval=200ms}
	 * @return the running instance
	 */
	public static RedisSample start(RedisServer redis, String... arguments) {
		return startInCluster(redis, newPrefix(), arguments);
	}

	/**
	 * Starts an instance under a given key prefix: instances started with the same one
	 * form a cluster.
	 * @param redis the Redis server, running
	 * @param prefix the prefix of every key, from {@link #newPrefix()}
	 * @param arguments further command-line arguments
	 * @return the running instance
	 */
	public static RedisSample startInCluster(RedisServer redis, String prefix, String... arguments) {
		List<String> all = new ArrayList<>(arguments(redis.port(), prefix));
		all.add("--server.port=0");
		all.addAll(List.of(arguments));
		RedisSample sample = new RedisSample(
				new SpringApplicationBuilder(SamplesApplication.class).run(all.toArray(String[]::new)));
		// Checked once while Redis answers, as a load balancer does: Spring Data Redis
		// then holds a connection, which waits for Redis to come back instead of failing
		// at once.
		try (SampleClients clients = new SampleClients(sample.port())) {
			assertThat(clients.get("/actuator/health").statusCode()).isEqualTo(200);
		}
		return sample;
	}

	/**
	 * Returns a key prefix of its own.
	 * @return the prefix
	 */
	public static String newPrefix() {
		return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	/**
	 * Returns the command-line arguments that put the sample on loopback and on a Redis
	 * server, under a key prefix; the port is left to the caller.
	 * @param redisPort the Redis server's port
	 * @param prefix the prefix of every key
	 * @return the arguments
	 */
	public static List<String> arguments(int redisPort, String prefix) {
		return List.of("--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--ws.redis.enabled=true",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
				"--ws.redis.key-prefix=" + prefix + "ws:", "--samples.redis.key-prefix=" + prefix + "samples:");
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/**
	 * Returns how many of the server's request threads are busy now.
	 * @return the count
	 */
	public int busyServerThreads() {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		Executor executor = server.getTomcat().getConnector().getProtocolHandler().getExecutor();
		return (executor instanceof ThreadPoolExecutor pool) ? pool.getActiveCount() : 0;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
