package dev.wsinfra.samples.chat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static dev.wsinfra.samples.testsupport.SampleAppTests.assertError;
import static dev.wsinfra.samples.testsupport.SampleClients.assertClosedWith;
import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChatIntegrationTests extends SampleAppTests {

	@Autowired
	ConnectionManager manager;

	@Test
	void membersSeeJoinsAndEachOthersMessagesButNotTheirOwnAndOtherRoomsSeeNothing() {
		WsTestClient alice = this.clients.connect("/ws/chat/lobby", "alice");
		assertSystem(next(alice), "alice joined the room");
		WsTestClient bob = this.clients.connect("/ws/chat/lobby", "bob");
		assertSystem(next(bob), "bob joined the room");
		assertSystem(next(alice), "bob joined the room");
		WsTestClient carol = this.clients.connect("/ws/chat/kitchen", "carol");
		assertSystem(next(carol), "carol joined the room");

		bob.sendJson(Map.of("message", "hi alice"));
		assertMessage(next(alice), "bob", "hi alice");
		alice.sendJson(Map.of("type", "message", "message", "hi bob"));
		assertMessage(next(bob), "alice", "hi bob");

		assertNothingMore(alice);
		assertNothingMore(bob);
		assertNothingMore(carol);

		bob.close();
		assertSystem(next(alice), "bob left the room");
		assertNothingMore(carol);
	}

	@Test
	void aUserWithTwoTabsInTheRoomLeavesWithTheLastOne() {
		WsTestClient dora = this.clients.connect("/ws/chat/tabs", "dora");
		assertSystem(next(dora), "dora joined the room");
		WsTestClient erin = this.clients.connect("/ws/chat/tabs", "erin");
		assertSystem(next(erin), "erin joined the room");
		assertSystem(next(dora), "erin joined the room");
		WsTestClient erinAgain = this.clients.connect("/ws/chat/tabs", "erin");
		assertSystem(next(erinAgain), "erin joined the room");
		assertSystem(next(erin), "erin joined the room");
		assertSystem(next(dora), "erin joined the room");

		erin.close();
		await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> this.manager.getUserConnections("erin").size() == 1);
		assertNothingMore(dora);
		dora.sendJson(Map.of("message", "still there?"));
		assertMessage(next(erinAgain), "dora", "still there?");

		erinAgain.close();
		assertSystem(next(dora), "erin left the room");
		await().atMost(10, TimeUnit.SECONDS).until(() -> !this.manager.getRoomUsers("chat:tabs").contains("erin"));
	}

	@Test
	void badInputIsAnsweredAndTheConnectionStays() {
		WsTestClient frank = this.clients.connect("/ws/chat/bad", "frank");
		assertSystem(next(frank), "frank joined the room");
		frank.send("{not json");
		assertError(next(frank), "bad_message");
		frank.send("[1, 2]");
		assertError(next(frank), "invalid_message");
		frank.sendJson(Map.of("type", "shout", "message", "HI"));
		assertError(next(frank), "unknown_type");
		frank.sendJson(Map.of("text", "where is the message field?"));
		assertError(next(frank), "invalid_message");
		frank.sendJson(Map.of("message", 42));
		assertError(next(frank), "invalid_message");
		frank.sendJson(Map.of("message", "   "));
		assertError(next(frank), "invalid_message");
		frank.sendJson(Map.of("message", "x".repeat(ChatHandler.MAX_MESSAGE_LENGTH + 1)));
		assertError(next(frank), "message_too_long");
		frank.send(new byte[] { 1 });
		assertError(next(frank), "unsupported");

		WsTestClient gina = this.clients.connect("/ws/chat/bad", "gina");
		next(gina);
		next(frank);
		frank.sendJson(Map.of("message", "I am fine"));
		assertMessage(next(gina), "frank", "I am fine");
	}

	@Test
	void tenMalformedMessagesInARowCloseWith1008() {
		WsTestClient hank = this.clients.connect("/ws/chat/noise", "hank");
		next(hank);
		for (int i = 0; i < 10; i++) {
			hank.send("{oops");
		}
		for (int i = 0; i < 9; i++) {
			assertError(next(hank), "bad_message");
		}
		assertClosedWith(hank, 1008);
	}

	@Test
	void theEleventhConnectionOfAUserIsClosedWith4008() {
		for (int i = 0; i < 10; i++) {
			next(this.clients.connect("/ws/chat/many", "lena"));
		}
		assertClosedWith(this.clients.connect("/ws/chat/many", "lena"), 4008);
	}

	@Test
	void anOversizedMessageClosesWith1009() {
		WsTestClient ivan = this.clients.connect("/ws/chat/big", "ivan");
		next(ivan);
		ivan.send("{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}");
		assertClosedWith(ivan, 1009);
	}

	@Test
	void anInvalidRoomNameClosesWith1008() {
		WsTestClient judy = this.clients.connect("/ws/chat/no!bangs", "judy");
		assertClosedWith(judy, 1008);
	}

	@Test
	void aHandshakeWithoutTokenIsRefusedWith401() {
		assertThat(this.clients.to("/ws/chat/lobby").openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void aBrowserStyleSubprotocolTokenIsAccepted() {
		WsTestClient client = this.clients.to("/ws/chat/proto").bearerSubprotocol(this.clients.token("kate")).open();
		assertThat(client.subprotocol()).isEqualTo("bearer");
		assertSystem(next(client), "kate joined the room");
	}

	private static void assertSystem(JsonNode message, String text) {
		assertThat(message.path("type").asString()).isEqualTo("system");
		assertThat(message.path("message").asString()).isEqualTo(text);
	}

	private static void assertMessage(JsonNode message, String from, String text) {
		assertThat(message.path("type").asString()).isEqualTo("message");
		assertThat(message.path("from").asString()).isEqualTo(from);
		assertThat(message.path("message").asString()).isEqualTo(text);
	}

}
