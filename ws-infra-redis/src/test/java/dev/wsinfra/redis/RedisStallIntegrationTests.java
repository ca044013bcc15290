package dev.wsinfra.redis;

import java.time.Duration;

import dev.wsinfra.redis.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import org.springframework.dao.DataAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Redis stops, or stalls (it keeps its connections but answers nothing), under an
 * instance whose command timeout is long: what the instance already knows is answered at
 * once, and a stall costs one command timeout, not one per question. The bounds are
 * generous; without the known state each question would wait the whole timeout.
 */
class RedisStallIntegrationTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private static final int QUESTIONS = 10;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private Cluster cluster;

	@BeforeEach
	void startInstance() {
		this.cluster = Cluster.start(redis, 1, "ws.redis.command-timeout=" + COMMAND_TIMEOUT.toSeconds() + "s");
	}

	@AfterEach
	void stopInstance() throws Exception {
		redis.resume();
		this.cluster.close();
		redis.start();
	}

	@Test // #11
	void backendAvailabilityIsAnsweredAtOnceWhileRedisIsKnownToBeDown() {
		RedisConnectionManager manager = this.cluster.manager(0);
		stopRedisUntilKnownDown(manager);
		ask(COMMAND_TIMEOUT, () -> assertThat(manager.isBackendAvailable()).isFalse());
	}

	@Test // #11
	void aStalledRedisCostsOneCommandTimeoutNotOnePerQuestion() throws Exception {
		RedisConnectionManager manager = this.cluster.manager(0);
		assertThat(manager.isBackendAvailable()).isTrue();
		redis.pause();
		ask(COMMAND_TIMEOUT.multipliedBy(2), () -> assertThat(manager.isBackendAvailable()).isFalse());
	}

	@Test // #11
	void globalQueriesFailAtOnceWhileRedisIsKnownToBeDown() {
		RedisConnectionManager manager = this.cluster.manager(0);
		stopRedisUntilKnownDown(manager);
		ask(COMMAND_TIMEOUT, () -> {
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> manager.isUserOnline("u"));
			assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> manager.getUserPresence("u"));
		});
	}

	@Test // #11
	void aStalledRedisCostsGlobalQueriesOneCommandTimeoutNotOnePerQuery() throws Exception {
		RedisConnectionManager manager = this.cluster.manager(0);
		assertThat(manager.isUserOnline("u")).isFalse();
		redis.pause();
		ask(COMMAND_TIMEOUT.multipliedBy(2),
				() -> assertThatExceptionOfType(DataAccessException.class).isThrownBy(manager::getOnlineUserCount));
	}

	@Test // #11
	void stoppingWhileRedisIsKnownToBeDownDoesNotWaitForIt() {
		RedisConnectionManager manager = this.cluster.manager(0);
		stopRedisUntilKnownDown(manager);
		assertTimeoutPreemptively(COMMAND_TIMEOUT.dividedBy(2), () -> manager.stop());
		assertThat(manager.isRunning()).isFalse();
	}

	private static void stopRedisUntilKnownDown(RedisConnectionManager manager) {
		redis.stop();
		await().atMost(COMMAND_TIMEOUT.multipliedBy(2)).until(() -> !manager.isBackendAvailable());
	}

	/** Asks {@value #QUESTIONS} times, all within a bound. */
	private static void ask(Duration bound, Executable question) {
		assertTimeoutPreemptively(bound, () -> {
			for (int i = 0; i < QUESTIONS; i++) {
				question.execute();
			}
		});
	}

}
