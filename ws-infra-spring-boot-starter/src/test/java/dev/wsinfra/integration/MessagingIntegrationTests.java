package dev.wsinfra.integration;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.endpoint.WsConnectedEvent;
import dev.wsinfra.endpoint.WsDisconnectedEvent;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Limits and bad input against a real server: each gets a clear error or close code,
 * nothing else is lost, and the server keeps serving.
 */
@WsIntegrationTest
class MessagingIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private TestApplication.EventRecorder events;

	@Autowired
	private TestApplication.DirectWritingHandler directWriter;

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

	private WsTestClient user(String path, String user) throws Exception {
		WsTestClient client = WsTestClient.to(uri(path)).bearer(TestTokens.user(user).sign()).open();
		assertThat(client.nextText()).contains("\"type\":\"hello\"");
		return client;
	}

	private double closes(String reason) {
		return this.meters.find("websocket.closes")
			.tag("reason", reason)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	@Test
	void connectionOverThePerUserLimitIsClosedWith4008() throws Exception {
		List<WsTestClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				clients.add(user("/protected/echo", "limited"));
			}
			WsTestClient fourth = WsTestClient.to(uri("/protected/echo"))
				.bearer(TestTokens.user("limited").sign())
				.open();
			clients.add(fourth);
			WsTestClient.Close close = fourth.awaitClose();
			assertThat(close.code()).isEqualTo(4008);
			assertThat(close.reason()).isEqualTo("Too many connections");
			assertThat(this.manager.getUserConnections("limited")).hasSize(3);
			clients.get(0).send("still here");
			assertThat(clients.get(0).nextText()).isEqualTo("still here");
		}
		finally {
			clients.forEach(WsTestClient::close);
		}
	}

	@Test
	void messageOverTheLimitIsClosedWith1009AndOthersStayOpen() throws Exception {
		double before = closes("message_too_big");
		try (WsTestClient bystander = user("/user/echo", "bystander");
				WsTestClient client = user("/user/echo", "oversize")) {
			client.send("x".repeat(64 * 1024 + 1));
			WsTestClient.Close close = client.awaitClose();
			assertThat(close.code()).isEqualTo(1009);
			bystander.send("fine");
			assertThat(bystander.nextText()).isEqualTo("fine");
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.isUserConnected("oversize"));
		}
		assertThat(closes("message_too_big") - before).isOne();
	}

	@Test
	void binaryMessageOverTheLimitIsClosedWith1009() throws Exception {
		try (WsTestClient client = user("/user/echo", "oversize-binary")) {
			client.send(ByteBuffer.allocate(64 * 1024 + 1));
			assertThat(client.awaitClose().code()).isEqualTo(1009);
		}
	}

	@Test
	void messagesUpToTheLimitArriveWholeAcrossContainerBuffers() throws Exception {
		try (WsTestClient client = user("/user/echo", "large")) {
			String text = "é".repeat(32 * 1024 - 1) + "!";
			client.send(text);
			assertThat(client.nextText()).isEqualTo(text);
			byte[] bytes = new byte[64 * 1024];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = (byte) i;
			}
			client.send(ByteBuffer.wrap(bytes));
			assertThat(client.nextBinary()).isEqualTo(ByteBuffer.wrap(bytes));
			client.sendPart("frag", false);
			client.sendPart("mented", true);
			assertThat(client.nextText()).isEqualTo("fragmented");
		}
	}

	@Test
	void malformedJsonIsAnsweredWithAnErrorAndTheConnectionSurvives() throws Exception {
		try (WsTestClient client = user("/user/echo", "sloppy")) {
			client.send("{\"type\": oops}");
			JsonNode error = this.json.readTree(client.nextText());
			assertThat(error.path("type").asString()).isEqualTo("error");
			assertThat(error.path("error").asString()).isEqualTo("bad_message");
			assertThat(error.path("message").asString()).startsWith("Malformed JSON: ");
			client.send("{\"type\":\"ok\"}");
			assertThat(this.json.readTree(client.nextText()).path("data").path("type").asString()).isEqualTo("ok");
		}
	}

	@Test
	void tooManyBadMessagesInARowCloseWith1008() throws Exception {
		double before = closes("bad_message");
		try (WsTestClient client = user("/user/echo", "garbage")) {
			client.send("{");
			assertThat(client.nextText()).contains("bad_message");
			client.send("{");
			assertThat(client.nextText()).contains("bad_message");
			client.send("{");
			assertThat(client.awaitClose().code()).isEqualTo(1008);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.isUserConnected("garbage"));
		assertThat(closes("bad_message") - before).isOne();
	}

	@Test
	void handlerFailureClosesWith1011AndTheServerGoesOn() throws Exception {
		try (WsTestClient client = user("/user/echo", "failing")) {
			client.send("boom");
			assertThat(client.awaitClose().code()).isEqualTo(1011);
		}
		try (WsTestClient client = user("/user/echo", "after-failure")) {
			client.send("alive");
			assertThat(client.nextText()).isEqualTo("alive");
		}
	}

	@Test
	void slowConsumerIsClosedWith1013WithoutSlowingOthers() throws Exception {
		double before = closes("slow_consumer");
		try (WsTestClient fast = user("/user/echo", "fast-reader");
				WsTestClient stalled = WsTestClient.to(uri("/user/echo"))
					.bearer(TestTokens.user("stalled-reader").sign())
					.stalled()
					.open()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.isUserConnected("stalled-reader"));
			String chunk = "s".repeat(16 * 1024);
			for (int i = 0; i < 4000 && this.manager.isUserConnected("stalled-reader"); i++) {
				this.manager.sendToUser("stalled-reader", i + ":" + chunk);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.manager.isUserConnected("stalled-reader"));
			fast.send("unaffected");
			assertThat(fast.nextText()).isEqualTo("unaffected");
			// Once it reads again, the reader gets what was written, then the close.
			stalled.request(Long.MAX_VALUE);
			WsTestClient.Close close = stalled.awaitClose();
			assertThat(close.code()).as(close.reason()).isEqualTo(1013);
			assertThat(stalled.nextText()).contains("\"type\":\"hello\"");
			assertThat(stalled.nextText()).startsWith("0:");
		}
		assertThat(closes("slow_consumer") - before).isOne();
	}

	@Test
	void handlerAndLibraryWritesToAnUnmanagedSessionTakeTurns() throws Exception {
		// #4
		int floods = 3000;
		int errors = 40;
		try (WsTestClient client = WsTestClient.to(uri("/unmanaged"))
			.bearer(TestTokens.user("direct-writer").sign())
			.open()) {
			assertThat(client.nextText()).startsWith("hello direct-writer as WsPrincipal[id=direct-writer");
			client.send("flood:" + floods);
			for (int i = 0; i < errors; i++) {
				client.send("{bad");
				// A good message in between, so that bad ones never add up to a close.
				client.send("{}");
			}
			int flooded = 0;
			int errorMessages = 0;
			for (int i = 0; i < floods + errors; i++) {
				String text = client.nextText();
				if (text.startsWith("flood ")) {
					flooded++;
				}
				else if (text.contains("\"bad_message\"")) {
					errorMessages++;
				}
			}
			assertThat(flooded).isEqualTo(floods);
			assertThat(errorMessages).isEqualTo(errors);
			assertThat(this.directWriter.failures).isEmpty();
		}
	}

	@Test
	void appManagedEndpointLeavesRegistrationToTheHandler() throws Exception {
		try (WsTestClient client = WsTestClient.to(uri("/app-managed"))
			.bearer(TestTokens.user("self-managed").sign())
			.open()) {
			assertThat(client.nextText()).isEqualTo("managed by the application as app:self-managed");
			assertThat(this.manager.isUserConnected("app:self-managed")).isTrue();
			assertThat(this.manager.isUserConnected("self-managed")).isFalse();
			client.send("echo");
			assertThat(client.nextText()).isEqualTo("echo");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.manager.isUserConnected("app:self-managed"));
	}

	@Test
	void anonymousSessionNeverReceivesWhatIsSentToTheUserNamedLikeItsSessionId() throws Exception {
		// #4
		try (WsTestClient anonymous = WsTestClient.open(uri("/public/echo"))) {
			JsonNode hello = this.json.readTree(anonymous.nextText());
			String sessionId = hello.path("session").asString();
			assertThat(sessionId).isNotBlank();
			String userId = hello.path("userId").asString();
			assertThat(userId).startsWith("anonymous:").isNotEqualTo("anonymous:" + sessionId);
			assertThat(this.manager.getUserConnections(userId)).hasSize(1);
			try (WsTestClient owner = user("/user/echo", sessionId)) {
				this.manager.sendToUser(sessionId, "for the owner only");
				assertThat(owner.nextText()).isEqualTo("for the owner only");
				// The echo queues behind anything sent to the anonymous session
				// before it.
				anonymous.send("marker");
				assertThat(anonymous.nextText()).isEqualTo("marker");
				assertThat(this.manager.getUserConnections(sessionId)).hasSize(1);
			}
			// A broadcast only reaches connections the manager holds.
			this.manager.broadcast("to everyone");
			assertThat(anonymous.nextText()).isEqualTo("to everyone");
		}
	}

	@Test
	void connectAndDisconnectArePublishedAsApplicationEvents() throws Exception {
		this.events.record("evented");
		try (WsTestClient client = user("/user/echo", "evented")) {
			client.send("x");
			client.nextText();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.events().size() == 2);
		assertThat(this.events.events()).satisfiesExactly(
				(connected) -> assertThat(connected).isInstanceOf(WsConnectedEvent.class),
				(disconnected) -> assertThat(disconnected).isInstanceOf(WsDisconnectedEvent.class));
	}

}
