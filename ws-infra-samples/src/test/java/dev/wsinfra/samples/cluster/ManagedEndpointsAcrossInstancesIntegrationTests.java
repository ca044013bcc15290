package dev.wsinfra.samples.cluster;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.wsinfra.redis.RedisConnectionManager;
import dev.wsinfra.redis.testsupport.RedisServer;
import dev.wsinfra.samples.testsupport.RedisSample;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static dev.wsinfra.samples.testsupport.SampleClients.assertClosedWith;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter's managed endpoints ({@code @WsEndpoint}) on the Redis manager, with two
 * instances of the sample on one {@code redis-server}: the per-user limit counts the
 * connections of both, a graceful shutdown closes its connections with 1001 and takes its
 * users offline everywhere, an expired token closes with 4001 wherever it connected, and
 * a Redis outage leaves each instance serving its own clients until Redis returns.
 */
class ManagedEndpointsAcrossInstancesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String NOTIFICATIONS = "/ws/notifications";

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private static final String PREFIX = RedisSample.newPrefix();

	private static final String SECRET = "a-secret-shared-by-the-instances-" + UUID.randomUUID();

	private static RedisSample first;

	private static RedisSample second;

	private SampleClients onFirst;

	private SampleClients onSecond;

	@BeforeAll
	static void startTwoInstances() {
		first = start("m0");
		second = start("m1");
	}

	private static RedisSample start(String instanceId) {
		return RedisSample.startInCluster(redis, PREFIX, "--ws.redis.instance-id=" + instanceId,
				"--ws.auth.jwt.secret=" + SECRET, "--ws.auth.jwt.clock-skew=0s", "--ws.max-connections-per-user=2");
	}

	@AfterAll
	static void stopInstances() {
		second.close();
		first.close();
	}

	@BeforeEach
	void openClients() {
		this.onFirst = new SampleClients(first.port());
		this.onSecond = new SampleClients(second.port());
	}

	@AfterEach
	void closeClients() {
		this.onFirst.close();
		this.onSecond.close();
	}

	@Test // #14
	void thePerUserLimitCountsTheConnectionsOfEveryInstance() {
		WsTestClient phone = this.onFirst.connect(NOTIFICATIONS, "capped");
		WsTestClient laptop = this.onSecond.connect(NOTIFICATIONS, "capped");
		await().atMost(WAIT).until(() -> connections(first, "capped") == 2);
		WsTestClient third = this.onFirst.connect(NOTIFICATIONS, "capped");
		WsTestClient.Close close = third.awaitClose();
		assertThat(close.code()).isEqualTo(4008);
		assertThat(close.reason()).isEqualTo("Too many connections");
		// The two within the limit still get what is sent to the user, from either side.
		notify(this.onSecond, "capped", "still two");
		assertThat(next(phone).path("data").path("title").asString()).isEqualTo("still two");
		assertThat(next(laptop).path("data").path("title").asString()).isEqualTo("still two");
		// A slot freed on one instance is free on the other.
		phone.closeAndWait();
		await().atMost(WAIT).until(() -> connections(second, "capped") == 1);
		WsTestClient replacement = this.onSecond.connect(NOTIFICATIONS, "capped");
		notify(this.onFirst, "capped", "replaced");
		assertThat(next(replacement).path("data").path("title").asString()).isEqualTo("replaced");
	}

	@Test // #14
	void aGracefulShutdownClosesItsConnectionsWith1001AndTheirUsersGoOfflineEverywhere() {
		WsTestClient staying = this.onFirst.connect(NOTIFICATIONS, "staying");
		RedisSample third = start("m2");
		try (SampleClients onThird = new SampleClients(third.port())) {
			WsTestClient leaving = onThird.connect(NOTIFICATIONS, "leaving");
			await().atMost(WAIT).until(() -> manager(second).isUserOnline("leaving"));
			third.close();
			assertClosedWith(leaving, 1001);
		}
		finally {
			third.close();
		}
		assertThat(manager(first).isUserOnline("leaving")).isFalse();
		assertThat(manager(second).isUserOnline("leaving")).isFalse();
		HttpResponse<String> offline = notify(this.onSecond, "leaving", "gone");
		assertThat(offline.body()).contains("\"online\":false");
		notify(this.onSecond, "staying", "unaffected");
		assertThat(next(staying).path("data").path("title").asString()).isEqualTo("unaffected");
	}

	@Test // #14
	void anExpiredTokenClosesWith4001AndTheUserGoesOfflineEverywhere() {
		String shortLived = token("fleeting", Duration.ofSeconds(2));
		WsTestClient fleeting = this.onSecond.to(NOTIFICATIONS).bearer(shortLived).open();
		await().atMost(WAIT).until(() -> manager(first).isUserOnline("fleeting"));
		WsTestClient.Close close = fleeting.awaitClose();
		assertThat(close.code()).isEqualTo(4001);
		assertThat(close.reason()).isEqualTo("Token expired");
		await().atMost(WAIT).until(() -> !manager(first).isUserOnline("fleeting"));
		assertThat(this.onFirst.to(NOTIFICATIONS).bearer(shortLived).openRefused().statusCode()).isEqualTo(401);
	}

	@Test // #14
	void duringARedisOutageEachInstanceServesItsOwnClientsAndCrossesAgainWhenRedisReturns() throws Exception {
		WsTestClient alice = this.onFirst.connect(NOTIFICATIONS, "alice");
		await().atMost(WAIT).until(() -> manager(second).isUserOnline("alice"));
		String token = this.onSecond.token("ops", "notify");
		redis.stop();
		try {
			await().atMost(WAIT).until(() -> !manager(first).isBackendAvailable());
			// A managed endpoint still takes handshakes and serves them locally.
			WsTestClient bob = this.onFirst.connect(NOTIFICATIONS, "bob");
			await().atMost(WAIT).until(() -> manager(first).isUserConnected("bob"));
			manager(first).sendToUser("bob", "{\"type\":\"local\"}");
			assertThat(next(bob).path("type").asString()).isEqualTo("local");
			manager(first).sendToUser("alice", "{\"type\":\"local\"}");
			assertThat(next(alice).path("type").asString()).isEqualTo("local");
		}
		finally {
			redis.start();
		}
		await().atMost(WAIT).until(() -> manager(first).isBackendAvailable() && manager(second).isBackendAvailable());
		// Once both registered again, what the second sends reaches the first's user.
		await().atMost(WAIT).until(() -> manager(second).isUserOnline("alice"));
		this.onSecond.post("/api/notify/alice", Map.of("title", "back"), token);
		JsonNode notification = alice.awaitJson((json) -> json.path("type").asString().equals("notification"));
		assertThat(notification.path("data").path("title").asString()).isEqualTo("back");
	}

	private static HttpResponse<String> notify(SampleClients clients, String user, String title) {
		HttpResponse<String> response = clients.post("/api/notify/" + user, Map.of("title", title),
				clients.token("ops", "notify"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return response;
	}

	/** The user's connections on every instance, as one instance sees them. */
	private static int connections(RedisSample instance, String user) {
		return manager(instance).getUserPresence(user).map((presence) -> presence.connections().size()).orElse(0);
	}

	private static RedisConnectionManager manager(RedisSample instance) {
		return instance.context().getBean(RedisConnectionManager.class);
	}

	/** An HS256 token of the instances' secret that expires after the given time. */
	private static String token(String user, Duration lifetime) {
		try {
			Instant now = Instant.now();
			JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plus(lifetime)))
				.build();
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
