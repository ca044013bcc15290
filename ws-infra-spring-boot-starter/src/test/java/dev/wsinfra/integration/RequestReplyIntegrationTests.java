package dev.wsinfra.integration;

import java.net.URI;
import java.util.Map;

import dev.wsinfra.endpoint.WsReply;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests ({@code {"type":"ws.request"}}) and the heartbeat ({@code ws.ping}) against a
 * real server: every request gets exactly one reply, by id, whatever its handler does,
 * and the connection stays open.
 */
@WsIntegrationTest
class RequestReplyIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	@Autowired
	private MeterRegistry meters;

	private WsTestClient open(String path, String user) {
		return WsTestClient.to(URI.create("ws://127.0.0.1:" + this.port + path))
			.bearer(TestTokens.user(user).sign())
			.open();
	}

	private static Map<String, Object> request(String id, String method, Object data) {
		return Map.of("type", "ws.request", "id", id, "method", method, "data", data);
	}

	private static JsonNode reply(WsTestClient client, String id) {
		return client.awaitJson(
				(json) -> "ws.reply".equals(json.path("type").asString()) && id.equals(json.path("id").asString()));
	}

	private long requests(String outcome) {
		Timer timer = this.meters.find("websocket.requests").tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Test // #16
	void aRequestIsAnsweredWithItsHandlersValueUnderItsId() {
		long before = requests("success");
		try (WsTestClient client = open("/requests", "req-echo")) {
			client.sendJson(request("r1", "echo", Map.of("text", "hi")));
			assertThat(client.nextText()).isEqualTo("{\"type\":\"ws.reply\",\"id\":\"r1\",\"data\":{\"text\":\"hi\"}}");
			client.send("plain text");
			assertThat(client.nextText()).isEqualTo("handler got plain text");
		}
		assertThat(requests("success") - before).isEqualTo(1);
	}

	@Test // #16
	void aRequestExceptionBecomesAnErrorReplyWithItsCode() {
		try (WsTestClient client = open("/requests", "req-fail")) {
			client.sendJson(request("r2", "fail", Map.of()));
			JsonNode reply = reply(client, "r2");
			assertThat(reply.path("error").path("code").asString()).isEqualTo("not_found");
			assertThat(reply.path("error").path("message").asString()).isEqualTo("No such thing");
			assertThat(reply.has("data")).isFalse();
		}
	}

	@Test // #16
	void aFailingHandlerGivesAnInternalErrorWithoutDetailsAndTheConnectionStays() {
		long before = requests("error");
		try (WsTestClient client = open("/requests", "req-crash")) {
			client.sendJson(request("r3", "crash", Map.of()));
			JsonNode reply = reply(client, "r3");
			assertThat(reply.path("error").path("code").asString()).isEqualTo("internal_error");
			assertThat(reply.toString()).doesNotContain("secret");
			client.sendJson(request("r4", "echo", 4));
			assertThat(reply(client, "r4").path("data").asInt()).isEqualTo(4);
		}
		assertThat(requests("error") - before).isEqualTo(1);
	}

	@Test // #16
	void aStageIsAnsweredWhenItCompletes() {
		try (WsTestClient client = open("/requests", "req-later")) {
			client.sendJson(request("slow", "later", Map.of("ms", 300)));
			client.sendJson(request("fast", "echo", "first"));
			assertThat(reply(client, "fast").path("data").asString()).isEqualTo("first");
			assertThat(reply(client, "slow").path("data").path("late").asBoolean()).isTrue();
		}
	}

	@Test // #16
	void aStageThatNeverCompletesIsAnsweredWithTimeout() {
		long before = requests("timeout");
		try (WsTestClient client = open("/requests", "req-never")) {
			client.sendJson(request("n1", "never", Map.of()));
			JsonNode reply = reply(client, "n1");
			assertThat(reply.path("error").path("code").asString()).isEqualTo("timeout");
		}
		assertThat(requests("timeout") - before).isEqualTo(1);
	}

	@Test // #16
	void requestsOverTheLimitOfPendingOnesAreRefusedUntilOneIsAnswered() {
		try (WsTestClient client = open("/requests", "req-pending")) {
			for (int i = 0; i < 3; i++) {
				client.sendJson(request("p" + i, "never", Map.of()));
			}
			client.sendJson(request("p3", "never", Map.of()));
			assertThat(reply(client, "p3").path("error").path("code").asString()).isEqualTo("too_many_requests");
			// the three time out, after which requests are taken again
			for (int i = 0; i < 3; i++) {
				assertThat(reply(client, "p" + i).path("error").path("code").asString()).isEqualTo("timeout");
			}
			client.sendJson(request("p4", "echo", "again"));
			assertThat(reply(client, "p4").path("data").asString()).isEqualTo("again");
		}
	}

	@Test // #16
	void aReplyMayBeSentByTheApplicationThroughTheManager() {
		long before = requests("deferred");
		try (WsTestClient client = open("/requests", "req-elsewhere")) {
			client.sendJson(request("e1", "elsewhere", Map.of()));
			client.sendJson(request("marker", "echo", "marker"));
			assertThat(reply(client, "marker").path("data").asString()).isEqualTo("marker");
			this.manager.sendToUser("req-elsewhere", WsReply.success("e1", Map.of("from", "elsewhere")));
			assertThat(client.nextText())
				.isEqualTo("{\"type\":\"ws.reply\",\"id\":\"e1\",\"data\":{\"from\":\"elsewhere\"}}");
		}
		assertThat(requests("deferred") - before).isEqualTo(1);
	}

	@Test // #16
	void aRequestWithoutIdGetsAnErrorMessageAndOneWithoutMethodAnErrorReply() {
		long before = requests("rejected");
		try (WsTestClient client = open("/requests", "req-bad")) {
			client.send("{\"type\":\"ws.request\",\"method\":\"echo\"}");
			JsonNode error = client.nextJson();
			assertThat(error.path("type").asString()).isEqualTo("error");
			assertThat(error.path("error").asString()).isEqualTo("invalid_request");
			client.send("{\"type\":\"ws.request\",\"id\":\"" + "x".repeat(129) + "\",\"method\":\"echo\"}");
			assertThat(client.nextJson().path("error").asString()).isEqualTo("invalid_request");
			client.send("{\"type\":\"ws.request\",\"id\":\"m1\"}");
			assertThat(reply(client, "m1").path("error").path("code").asString()).isEqualTo("invalid_request");
			client.sendJson(request("m2", "join", "not an object"));
			assertThat(reply(client, "m2").path("error").path("code").asString()).isEqualTo("invalid_request");
			client.sendJson(request("m3", "ws.unknown", Map.of()));
			assertThat(reply(client, "m3").path("error").path("code").asString()).isEqualTo("unsupported");
		}
		assertThat(requests("rejected") - before).isEqualTo(3);
	}

	@Test // #16
	void anEndpointWithoutRequestHandlerAnswersUnsupported() {
		try (WsTestClient client = open("/user/echo", "req-unsupported")) {
			client.nextJson();
			client.sendJson(request("u1", "echo", Map.of()));
			JsonNode reply = reply(client, "u1");
			assertThat(reply.path("error").path("code").asString()).isEqualTo("unsupported");
		}
	}

	@Test // #16
	void theHeartbeatIsAnsweredOnEveryEndpointAndNeverReachesTheHandler() {
		try (WsTestClient client = open("/user/echo", "heartbeat")) {
			client.nextJson();
			client.send("{\"type\":\"ws.ping\"}");
			assertThat(client.nextText()).isEqualTo("{\"type\":\"ws.pong\"}");
			// the probe echoes JSON as {"type":"echo"}: another ws. type reaches it
			client.send("{\"type\":\"ws.other\"}");
			assertThat(client.nextJson().path("type").asString()).isEqualTo("echo");
		}
	}

	@Test // #16
	void membersReadTheMembersOfPresenceRoomsAndNobodyElseDoes() {
		try (WsTestClient ann = open("/requests", "pres-ann");
				WsTestClient bob = open("/requests", "pres-bob");
				WsTestClient eve = open("/requests", "pres-eve")) {
			ann.sendJson(request("j1", "join", Map.of("room", "lobby:presence")));
			assertThat(reply(ann, "j1").path("data").asBoolean()).isTrue();
			bob.sendJson(request("j2", "join", Map.of("room", "lobby:presence")));
			reply(bob, "j2");
			eve.sendJson(request("j3", "join", Map.of("room", "secret")));
			reply(eve, "j3");

			ann.sendJson(request("p1", "ws.presence", Map.of("room", "lobby:presence")));
			assertThat(ann.nextText()).isEqualTo(
					"{\"type\":\"ws.reply\",\"id\":\"p1\",\"data\":{\"room\":\"lobby:presence\",\"users\":[\"pres-ann\",\"pres-bob\"]}}");
			eve.sendJson(request("p2", "ws.presence", Map.of("room", "lobby:presence")));
			assertThat(reply(eve, "p2").path("error").path("code").asString()).isEqualTo("forbidden");
			eve.sendJson(request("p3", "ws.presence", Map.of("room", "secret")));
			assertThat(reply(eve, "p3").path("error").path("code").asString()).isEqualTo("forbidden");
			eve.sendJson(request("p4", "ws.presence", Map.of()));
			assertThat(reply(eve, "p4").path("error").path("code").asString()).isEqualTo("invalid_request");
		}
	}

}
