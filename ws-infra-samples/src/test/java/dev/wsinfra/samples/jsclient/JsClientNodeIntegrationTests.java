package dev.wsinfra.samples.jsclient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.testsupport.NodeTests;
import dev.wsinfra.samples.testsupport.RedisSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ws-infra.js's own tests ({@code src/test/js}), in Node's test runner: against the real
 * sample with the Redis module and a real {@code redis-server} (reconnects, recovery,
 * token refresh with 6-second tokens and no clock skew, close codes, requests, presence,
 * the send buffer), and against a misbehaving stand-in server (bad input, a server that
 * never answers, heartbeats).
 */
class JsClientNodeIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static RedisSample sample;

	@BeforeAll
	static void startSample() {
		sample = RedisSample.start(redis, "--samples.dev-token.ttl=6s", "--ws.auth.jwt.clock-skew=0s");
	}

	@AfterAll
	static void stopSample() {
		if (sample != null) {
			sample.close();
		}
	}

	@Test // #16
	void theClientPassesItsTestsAgainstTheSampleAndAMisbehavingServer() throws Exception {
		NodeTests.Result result = NodeTests.run(Path.of("src/test/js"),
				Map.of("WS_INFRA_BASE", "http://127.0.0.1:" + sample.port()), Duration.ofMinutes(5));
		System.out.println(result.output());
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("# fail 0").containsPattern("# pass [1-9]\\d*");
	}

}
