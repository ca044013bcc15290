package dev.wsinfra.samples.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.samples.testsupport.SampleAppTest;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.server.ConnectionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SampleAppTest
class BenchEndpointIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ConnectionManager manager;

	private final List<Client> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(Client::abort);
	}

	@Test
	void fanoutSendsCountMessagesToEveryClientInOrder() throws Exception {
		Client first = connect("");
		Client second = connect("");
		awaitRegistered(List.of(first, second));
		first.send("{\"type\":\"fanout\",\"count\":5,\"size\":10,\"room\":null}");
		for (Client client : List.of(first, second)) {
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
		Client inRoom = connect("?room=r1");
		Client outside = connect("");
		awaitRegistered(List.of(inRoom, outside));
		inRoom.send("{\"type\":\"fanout\",\"count\":2,\"size\":0,\"room\":\"r1\"}");
		assertThat(inRoom.nextJson().path("seq").asInt()).isEqualTo(0);
		assertThat(inRoom.nextJson().path("seq").asInt()).isEqualTo(1);
		// A marker to everyone: had the room's messages reached the outside client, they
		// would come before it.
		outside.send("{\"type\":\"fanout\",\"count\":1,\"size\":3,\"room\":null}");
		assertThat(outside.nextJson().path("pad").asString()).as("the first message outside the room")
			.isEqualTo("xxx");
	}

	@Test
	void badCommandsGetAnErrorAndTheConnectionStays() throws Exception {
		Client client = connect("");
		client.send("not json");
		assertThat(client.nextJson().path("message").asString()).isEqualTo("malformed JSON");
		client.send("{\"type\":\"dance\"}");
		assertThat(client.nextJson().path("type").asString()).isEqualTo("error");
		client.send("{\"type\":\"fanout\",\"count\":1}");
		assertThat(client.nextJson().path("type").asString()).isEqualTo("bench");
	}

	@Test
	void benchClientsAreAnonymousUsersOfTheirOwnBeyondThePerUserLimit() throws Exception {
		List<Client> many = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			many.add(connect(""));
		}
		awaitRegistered(many);
		many.get(0).send("{\"type\":\"fanout\",\"count\":1,\"size\":0,\"room\":null}");
		for (Client client : many) {
			assertThat(client.nextJson().path("type").asString()).isEqualTo("bench");
		}
	}

	@Test // #11
	void anonymousBenchClientsNeitherReadNorWriteTheProtectedRooms() throws Exception {
		SampleClients chat = new SampleClients(this.port);
		try {
			WebSocketClient alice = chat.connect("/ws/chat/isolated", "alice");
			assertThat(SampleClients.next(alice).path("message").asString()).isEqualTo("alice joined the room");
			Client intruder = connect("?room=chat:isolated");
			Client witness = connect("");
			awaitRegistered(List.of(intruder, witness));
			assertThat(this.manager.getRoomUsers("chat:isolated")).containsExactly("alice");

			intruder.send("{\"type\":\"fanout\",\"count\":3,\"size\":0,\"room\":\"chat:isolated\"}");
			WebSocketClient bob = chat.connect("/ws/chat/isolated", "bob");
			assertThat(SampleClients.next(bob).path("message").asString()).isEqualTo("bob joined the room");
			bob.sendJson(Map.of("message", "for members only"));
			JsonNode next = SampleClients.next(alice);
			assertThat(next.path("message").asString()).as("alice's next message, after bob joined")
				.isEqualTo("bob joined the room");
			assertThat(SampleClients.next(alice).path("message").asString()).isEqualTo("for members only");

			// A marker to every bench client: a chat message that reached them would come first.
			witness.send("{\"type\":\"fanout\",\"count\":1,\"size\":4,\"room\":null}");
			for (Client client : List.of(intruder, witness)) {
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
		Client client = connect("");
		client.send("{\"type\":\"fanout\",\"count\":100000,\"size\":1000000,\"room\":null}");
		JsonNode answer = client.nextJson();
		assertThat(answer.path("type").asString()).isEqualTo("error");
		assertThat(answer.path("message").asString()).contains("must not exceed");
		client.send("{\"type\":\"fanout\",\"count\":1}");
		assertThat(client.nextJson().path("type").asString()).isEqualTo("bench");
	}

	@Test // #11
	void aPacedFanoutStopsWhenItsClientLeaves() throws Exception {
		Client pacer = connect("?room=paced");
		Client member = connect("?room=paced");
		awaitRegistered(List.of(pacer, member));
		pacer.send("{\"type\":\"fanout\",\"count\":100000,\"size\":0,\"room\":\"paced\",\"intervalMs\":5}");
		assertThat(member.nextJson().path("seq").asInt()).isZero();
		pacer.close();
		// Once the server saw the close, the room's messages stop within a tick or two.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.getRoomUsers("bench:paced").size() == 1);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> member.drain() == 0);
	}

	/**
	 * Waits until the server registered every client: a client sees the handshake's answer
	 * slightly before the server registers its session. Probes with one-message fan-outs
	 * until each client got one, then fences with a last probe that every client reads up to,
	 * so that no probe is left in any client's queue.
	 */
	private void awaitRegistered(List<Client> group) throws Exception {
		List<Client> waiting = new ArrayList<>(group);
		for (int attempt = 0; attempt < 20 && !waiting.isEmpty(); attempt++) {
			group.get(0).send("{\"type\":\"fanout\",\"count\":1,\"size\":0,\"room\":null}");
			waiting.removeIf((client) -> client.poll(Duration.ofMillis(500)) != null);
		}
		assertThat(waiting).as("clients the server never registered").isEmpty();
		group.get(0).send("{\"type\":\"fanout\",\"count\":1,\"size\":3,\"room\":null}");
		for (Client client : group) {
			JsonNode message;
			do {
				message = client.nextJson();
			}
			while (message.path("pad").asString().length() != 3);
		}
	}

	private Client connect(String query) throws Exception {
		Client client = new Client(URI.create("ws://127.0.0.1:" + this.port + "/ws/bench" + query));
		this.clients.add(client);
		return client;
	}

	private static final class Client implements WebSocket.Listener {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final WebSocket socket;

		Client(URI uri) throws Exception {
			this.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(10))
				.buildAsync(uri, this)
				.get(10, TimeUnit.SECONDS);
		}

		void send(String text) throws Exception {
			this.socket.sendText(text, true).get(10, TimeUnit.SECONDS);
		}

		String poll(Duration timeout) {
			try {
				return this.received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}

		JsonNode nextJson() throws InterruptedException {
			String text = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(text).as("a message within 10 s").isNotNull();
			return JSON.readTree(text);
		}

		void abort() {
			this.socket.abort();
		}

		void close() throws Exception {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
		}

		/** Takes every message received so far and returns how many there were. */
		int drain() {
			List<String> taken = new ArrayList<>();
			this.received.drainTo(taken);
			return taken.size();
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

	}

}
