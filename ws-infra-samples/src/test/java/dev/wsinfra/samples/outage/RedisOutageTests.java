package dev.wsinfra.samples.outage;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.testsupport.RedisSample;
import dev.wsinfra.samples.testsupport.SampleClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the tests of one sample on a Redis of its own that fails once the sample
 * started and stays failed for the whole class; {@link #clients} opens real clients on
 * it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisOutageTests {

	protected static final JsonMapper JSON = JsonMapper.builder().build();

	protected final RedisServer redis = new RedisServer();

	protected RedisSample sample;

	protected SampleClients clients;

	/** Makes {@link #redis} fail. */
	abstract void breakRedis() throws Exception;

	@BeforeAll
	void startSampleThenBreakRedis() throws Exception {
		this.redis.start();
		this.sample = RedisSample.start(this.redis, "--samples.stocks.interval=200ms",
				"--samples.dashboard.interval=200ms");
		breakRedis();
	}

	@AfterAll
	void mendRedisThenStopSample() throws Exception {
		this.redis.resume();
		if (this.sample != null) {
			this.sample.close();
		}
		this.redis.close();
	}

	@BeforeEach
	void openClients() {
		this.clients = new SampleClients(this.sample.port());
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

}
