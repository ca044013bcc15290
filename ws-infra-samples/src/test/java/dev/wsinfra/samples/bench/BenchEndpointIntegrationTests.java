package dev.wsinfra.samples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTest;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.test.WsTestClients;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SampleAppTest
class BenchEndpointIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionManager manager;

	@Autowired
	WsTestClients clients;

	@Test
	void fanoutSendsCountMessagesToEveryClientInOrder() throws Exception {
		WsTestClient first = connect("");
		WsTestClient second = connect("");
		awaitRegistered(List.of(first, second));
		first.send("{\"type\":\"fanout\",\"count\":5,\"size\":10,\"room\":null}");
		for (WsTestClient client : List.of(first, second)) {
			for (int seq = 0; seq < 5; seq++) {
				JsonNode message = client.nextJson();
				assertThat(message.path("type").asString()).isEqualTo("bench");
				assertThat(message.path("seq").asInt()).isEqualTo(seq);
				assertThat(message.path("pad").asString()).isEqualTo("x".repeat(10));
				assertThat(message.path("ts").asLong()).isPositive();
			}
		}
	}

	@Test
	void roomFanoutReachesOnlyTheRoom() throws Exception {
		WsTestClient inRoom = connect("?room=r1");
		WsTestClient outside = connect("");
		awaitRegistered(List.of(inRoom, outside));
		inRoom.send("{\"type\":\"fanout\",\"count\":2,\"size\":0,\"room\":\"r1\"}");
		assertThat(inRoom.nextJson().path("seq").asInt()).isEqualTo(0);
		assertThat(inRoom.nextJson().path("seq").asInt()).isEqualTo(1);
		// A marker to everyone: had the room's messages reached the outside client, they
		// would come before it.
		outside.send("{\"type\":\"fanout\",\"count\":1,\"size\":3,\"room\":null}");
		assertThat(outside.nextJson().path("pad").asString()).as("the first message outside the room").isEqualTo("xxx");
	}

	@Test
	void badCommandsGetAnErrorAndTheConnectionStays() throws Exception {
		WsTestClient client = connect("");
		client.send("not json");
		assertThat(client.nextJson().path("message").asString()).isEqualTo("malformed JSON");
		client.send("{\"type\":\"dance\"}");
		assertThat(client.nextJson().path("type").asString()).isEqualTo("error");
		client.send("{\"type\":\"fanout\",\"count\":1}");
		assertThat(client.nextJson().path("type").asString()).isEqualTo("bench");
	}

	@Test
	void benchClientsAreAnonymousUsersOfTheirOwnBeyondThePerUserLimit() throws Exception {
		List<WsTestClient> many = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			many.add(connect(""));
		}
		awaitRegistered(many);
		many.get(0).send("{\"type\":\"fanout\",\"count\":1,\"size\":0,\"room\":null}");
		for (WsTestClient client : many) {
			assertThat(client.nextJson().path("type").asString()).isEqualTo("bench");
		}
	}

	@Test // #11
	void anonymousBenchClientsNeitherReadNorWriteTheProtectedRooms() throws Exception {
		SampleClients chat = new SampleClients(this.port);
		try {
			WsTestClient alice = chat.connect("/ws/chat/isolated", "alice");
			assertThat(SampleClients.next(alice).path("message").asString()).isEqualTo("alice joined the room");
			WsTestClient intruder = connect("?room=chat:isolated");
			WsTestClient witness = connect("");
			awaitRegistered(List.of(intruder, witness));
			assertThat(this.manager.getRoomUsers("chat:isolated")).containsExactly("alice");

			intruder.send("{\"type\":\"fanout\",\"count\":3,\"size\":0,\"room\":\"chat:isolated\"}");
			WsTestClient bob = chat.connect("/ws/chat/isolated", "bob");
			assertThat(SampleClients.next(bob).path("message").asString()).isEqualTo("bob joined the room");
			bob.sendJson(Map.of("message", "for members only"));
			JsonNode next = SampleClients.next(alice);
			assertThat(next.path("message").asString()).as("alice's next message, after bob joined")
				.isEqualTo("bob joined the room");
			assertThat(SampleClients.next(alice).path("message").asString()).isEqualTo("for members only");

			// A marker to every bench client: a chat message that reached them would
			// come first.
			witness.send("{\"type\":\"fanout\",\"count\":1,\"size\":4,\"room\":null}");
			for (WsTestClient client : List.of(intruder, witness)) {
				JsonNode message;
				do {
					message = client.nextJson();
					assertThat(message.path("type").asString()).as(message.toString()).isEqualTo("bench");
				}
				while (message.path("pad").asString().length() != 4);
			}
			SampleClients.assertNothingMore(alice);
		}
		finally {
			chat.close();
		}
	}

	@Test // #11
	void aCommandThatWouldSendTooMuchIsRefusedAndTheConnectionStays() throws Exception {
		WsTestClient client = connect("");
		client.send("{\"type\":\"fanout\",\"count\":100000,\"size\":1000000,\"room\":null}");
		JsonNode answer = client.nextJson();
		assertThat(answer.path("type").asString()).isEqualTo("error");
		assertThat(answer.path("message").asString()).contains("must not exceed");
		client.send("{\"type\":\"fanout\",\"count\":1}");
		assertThat(client.nextJson().path("type").asString()).isEqualTo("bench");
	}

	@Test // #11
	void aPacedFanoutStopsWhenItsClientLeaves() throws Exception {
		WsTestClient pacer = connect("?room=paced");
		WsTestClient member = connect("?room=paced");
		awaitRegistered(List.of(pacer, member));
		pacer.send("{\"type\":\"fanout\",\"count\":100000,\"size\":0,\"room\":\"paced\",\"intervalMs\":5}");
		assertThat(member.nextJson().path("seq").asInt()).isZero();
		pacer.close();
		// Once the server saw the close, the room's messages stop within a tick or two.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.getRoomUsers("bench:paced").size() == 1);
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> member.nextTextNow().isEmpty());
	}

	/**
	 * Waits until the server registered every client: a client sees the handshake's
	 * answer slightly before the server registers its session. Probes with one-message
	 * fan-outs until each client got one, then fences with a last probe that every client
	 * reads up to, so that no probe is left in any client's queue.
	 */
	private void awaitRegistered(List<WsTestClient> group) throws Exception {
		List<WsTestClient> waiting = new ArrayList<>(group);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
			group.get(0).send("{\"type\":\"fanout\",\"count\":1,\"size\":0,\"room\":null}");
			waiting.removeIf((client) -> client.nextTextNow().isPresent());
			return waiting.isEmpty();
		});
		group.get(0).send("{\"type\":\"fanout\",\"count\":1,\"size\":3,\"room\":null}");
		for (WsTestClient client : group) {
			JsonNode message;
			do {
				message = client.nextJson();
			}
			while (message.path("pad").asString().length() != 3);
		}
	}

	private WsTestClient connect(String query) {
		return this.clients.open("/ws/bench" + query);
	}

}
