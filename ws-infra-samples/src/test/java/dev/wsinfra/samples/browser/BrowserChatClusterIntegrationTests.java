package dev.wsinfra.samples.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.SamplesApplication;
import dev.wsinfra.samples.testsupport.RedisSample;
import dev.wsinfra.samples.testsupport.SampleClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat page in real headless Chromium against two instances of the sample with the
 * Redis module and a real {@code redis-server}, whose tokens live 10 seconds and whose
 * JWT clock skew is 0, so that only refreshes keep a connection past its token.
 */
class BrowserChatClusterIntegrationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final String PREFIX = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private static final String SECRET = "a-shared-secret-for-the-browser-cluster-" + UUID.randomUUID();

	private static final ConfigurableApplicationContext[] instances = new ConfigurableApplicationContext[2];

	@BeforeAll
	static void startTwoInstances() {
		Browser.requireInstalled();
		instances[0] = start(0, 0);
		instances[1] = start(1, 0);
	}

	@AfterAll
	static void stopInstances() {
		for (ConfigurableApplicationContext instance : instances) {
			if (instance != null) {
				instance.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(int instance, int port) {
		List<String> arguments = new ArrayList<>(RedisSample.arguments(redis.port(), PREFIX));
		arguments.addAll(List.of("--server.port=" + port, "--ws.redis.instance-id=i" + instance,
				"--ws.auth.jwt.secret=" + SECRET, "--samples.dev-token.ttl=10s", "--ws.auth.jwt.clock-skew=0s"));
		return new SpringApplicationBuilder(SamplesApplication.class).run(arguments.toArray(String[]::new));
	}

	private static int port(int instance) {
		return ((WebServerApplicationContext) instances[instance]).getWebServer().getPort();
	}

	private static String page(int instance) {
		return "http://127.0.0.1:" + port(instance) + "/";
	}

	@Test // #16
	void aTabWhoseInstanceRestartsReconnectsAndShowsWhatWasSentMeanwhileExactlyOnceAndNewcomersGetTheHistory()
			throws Exception {
		String room = "restart-" + UUID.randomUUID().toString().substring(0, 6);
		try (Browser alice = Browser.open(); Browser bob = Browser.open()) {
			alice.join(page(0), "alice", room);
			bob.join(page(1), "bob", room);
			alice.waitForMembers("alice", "bob");
			alice.say("before");
			bob.waitForLine("message", "alice: before");

			int port = port(1);
			instances[1].close();
			bob.waitForState("reconnecting");
			alice.waitForMembers("alice");
			for (int i = 1; i <= 3; i++) {
				alice.say("meanwhile " + i);
				alice.waitForLine("own", "you: meanwhile " + i);
			}
			instances[1] = start(1, port);
			bob.waitForState("open");
			bob.waitForLine("message", "alice: meanwhile 3");
			alice.waitForMembers("alice", "bob");
			bob.say("after");
			alice.waitForLine("message", "bob: after");
			bob.waitForLine("own", "you: after");

			assertThat(bob.lines()).containsExactly("message|alice: before", "message|alice: meanwhile 1",
					"message|alice: meanwhile 2", "message|alice: meanwhile 3", "own|you: after");
			assertThat(bob.stat("connects")).isEqualTo(2);
			assertThat(bob.stat("recovered")).isEqualTo(1);
			assertThat(alice.lines()).containsExactly("own|you: before", "own|you: meanwhile 1", "own|you: meanwhile 2",
					"own|you: meanwhile 3", "message|bob: after");
			// a newcomer gets the room's history from the stream, then live messages
			try (Browser carol = Browser.open()) {
				carol.join(page(1), "carol", room);
				carol.waitForLine("message", "bob: after");
				alice.say("welcome");
				carol.waitForLine("message", "alice: welcome");
				assertThat(carol.lines()).containsExactly("message|alice: before", "message|alice: meanwhile 1",
						"message|alice: meanwhile 2", "message|alice: meanwhile 3", "message|bob: after",
						"message|alice: welcome");
			}
		}
	}

	@Test // #16
	void aTenSecondTokenKeepsATabConnectedForSixtySeconds() throws Exception {
		try (Browser steady = Browser.open()) {
			steady.join(page(0), "steady", "long");
			await().during(Duration.ofSeconds(60))
				.atMost(Duration.ofSeconds(75))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> "open".equals(steady.state()));
			assertThat(steady.stat("connects")).isEqualTo(1);
			// a refresh every 7.5 s of a token's 10
			assertThat(steady.stat("refreshes")).isGreaterThanOrEqualTo(6);
			steady.say("still here");
			steady.waitForLine("own", "you: still here");
		}
	}

	@Test // #16
	void theEleventhTabOfAUserGets4008ShowsWhyAndDoesNotRetry() throws Exception {
		try (Browser browser = Browser.open()) {
			String first = browser.tab();
			browser.join(page(0), "crowd", "busy");
			browser.waitForMembers("crowd");
			for (int i = 2; i <= 10; i++) {
				browser.newTab();
				browser.join(page(i % 2), "crowd", "busy");
				// the member list is read on the tab's own connection once it is
				// registered,
				// so that the eleventh is the one refused
				browser.waitForMembers("crowd");
			}
			browser.newTab();
			browser.joinWithoutWaiting(page(0), "crowd", "busy");
			browser.waitForState("closed");
			assertThat(browser.status())
				.isEqualTo("Disconnected: too many connections for this user (4008: Too many connections)");
			assertThat(browser.stat("connects")).isEqualTo(1);
			assertThat(browser.state()).isEqualTo("closed");
			browser.switchTo(first);
			assertThat(browser.state()).isEqualTo("open");
		}
	}

	@Test // #16
	void aRevokedTokenStopsRetries() throws Exception {
		try (Browser revoked = Browser.open(); SampleClients other = new SampleClients(port(0))) {
			revoked.join(page(1), "mallory", "watched");
			// registered, as the presence read shows: a revocation closes the connections
			// registered when it runs
			revoked.waitForMembers("mallory");
			assertThat(other.post("/dev/revoke", Map.of("user", "mallory"), null).statusCode()).isEqualTo(202);
			revoked.waitForState("closed");
			assertThat(revoked.status()).isEqualTo("Disconnected: forbidden (4003: Token revoked)");
			assertThat(revoked.stat("connects")).isEqualTo(1);
		}
	}

}
