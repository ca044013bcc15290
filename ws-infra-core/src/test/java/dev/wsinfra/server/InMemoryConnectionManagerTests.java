package dev.wsinfra.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class InMemoryConnectionManagerTests {

	private InMemoryConnectionManager manager = new InMemoryConnectionManager();

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test // #14
	void sendsReturnHowManyConnectionsTheMessageWasQueuedTo() {
		this.manager.connect("alice", new RecordingSession());
		this.manager.connect("alice", new RecordingSession());
		this.manager.connect("bob", new RecordingSession());
		this.manager.joinRoom("alice", "lobby");
		this.manager.joinRoom("bob", "lobby");
		assertThat(this.manager.sendToUser("alice", "to alice")).isEqualTo(2);
		assertThat(this.manager.sendToUser("nobody", "to nobody")).isZero();
		assertThat(this.manager.broadcast("to all")).isEqualTo(3);
		assertThat(this.manager.broadcast("to all but alice", "alice")).isOne();
		assertThat(this.manager.broadcastToRoom("lobby", "to the lobby")).isEqualTo(3);
		assertThat(this.manager.broadcastToRoom("lobby", "to the lobby but bob", "bob")).isEqualTo(2);
		assertThat(this.manager.broadcastToRoom("empty", "to no room")).isZero();
	}

	@Test
	void connectReturnsDistinctIdsAndTracksUsers() {
		RecordingSession first = new RecordingSession();
		RecordingSession second = new RecordingSession();
		String firstId = this.manager.connect("alice", first, Map.of("device", "phone"));
		String secondId = this.manager.connect("alice", second);
		this.manager.connect("bob", new RecordingSession());
		assertThat(firstId).isNotEqualTo(secondId);
		assertThat(this.manager.connectionCount()).isEqualTo(3);
		assertThat(this.manager.activeUsers()).containsExactlyInAnyOrder("alice", "bob");
		assertThat(this.manager.isUserConnected("alice")).isTrue();
		assertThat(this.manager.isUserConnected("carol")).isFalse();
		List<ConnectionInfo> connections = this.manager.getUserConnections("alice");
		assertThat(connections).extracting(ConnectionInfo::connectionId).containsExactly(firstId, secondId);
		assertThat(connections.get(0).metadata()).containsEntry("device", "phone");
		assertThat(connections.get(0).userId()).isEqualTo("alice");
		assertThat(connections.get(0).connectedAt()).isNotNull();
	}

	@Test
	void aClosedManagerAcceptsNoMoreMessages() {
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.close();
		assertThat(this.manager.send(session, "after close")).isFalse();
		this.manager.sendToUser("alice", "after close");
		assertThat(this.manager.flush(Duration.ofSeconds(1))).as("nothing left waiting for a writer").isTrue();
	}

	@Test
	void connectingTheSameSessionTwiceKeepsOneConnection() {
		RecordingSession session = new RecordingSession();
		String id = this.manager.connect("alice", session);
		assertThat(this.manager.connect("alice", session)).isEqualTo(id);
		assertThat(this.manager.connectionCount()).isEqualTo(1);
	}

	@Test
	void sendToUserDeliversToEveryConnectionOfThatUserOnly() throws Exception {
		RecordingSession phone = new RecordingSession();
		RecordingSession laptop = new RecordingSession();
		RecordingSession other = new RecordingSession();
		this.manager.connect("alice", phone);
		this.manager.connect("alice", laptop);
		this.manager.connect("bob", other);
		this.manager.sendToUser("alice", "hello");
		assertThat(phone.nextText()).isEqualTo("hello");
		assertThat(laptop.nextText()).isEqualTo("hello");
		this.manager.sendToUser("bob", "marker");
		assertThat(other.nextText()).isEqualTo("marker");
	}

	@Test
	void sendToUnknownUserDoesNothing() {
		this.manager.sendToUser("nobody", "hello");
		assertThat(this.manager.connectionCount()).isZero();
	}

	@Test
	void broadcastReachesEveryoneAndExcludeUserSkipsAllTheirConnections() throws Exception {
		RecordingSession alice1 = new RecordingSession();
		RecordingSession alice2 = new RecordingSession();
		RecordingSession bob = new RecordingSession();
		this.manager.connect("alice", alice1);
		this.manager.connect("alice", alice2);
		this.manager.connect("bob", bob);
		this.manager.broadcast("to all");
		this.manager.broadcast("not for alice", "alice");
		this.manager.sendToUser("alice", "marker");
		assertThat(alice1.nextText()).isEqualTo("to all");
		assertThat(alice1.nextText()).isEqualTo("marker");
		assertThat(alice2.nextText()).isEqualTo("to all");
		assertThat(alice2.nextText()).isEqualTo("marker");
		assertThat(bob.nextText()).isEqualTo("to all");
		assertThat(bob.nextText()).isEqualTo("not for alice");
	}

	@Test
	void broadcastToRoomReachesMembersOnlyAndHonoursExcludeUser() throws Exception {
		RecordingSession alice = new RecordingSession();
		RecordingSession bob = new RecordingSession();
		RecordingSession carol = new RecordingSession();
		this.manager.connect("alice", alice);
		this.manager.connect("bob", bob);
		this.manager.connect("carol", carol);
		assertThat(this.manager.joinRoom("alice", "general")).isTrue();
		assertThat(this.manager.joinRoom("bob", "general")).isTrue();
		assertThat(this.manager.joinRoom("bob", "general")).isFalse();
		this.manager.broadcastToRoom("general", "room message", "bob");
		this.manager.broadcastToRoom("general", "to everyone in the room");
		this.manager.broadcast("marker");
		assertThat(alice.nextText()).isEqualTo("room message");
		assertThat(alice.nextText()).isEqualTo("to everyone in the room");
		assertThat(bob.nextText()).isEqualTo("to everyone in the room");
		assertThat(carol.nextText()).isEqualTo("marker");
		assertThat(this.manager.getRoomUsers("general")).containsExactlyInAnyOrder("alice", "bob");
		assertThat(this.manager.getRoomUsers("nowhere")).isEmpty();
	}

	@Test // #15
	void aRoomSendReachesTheConnectionsOfItsMembersAsTheyAreAtTheTimeOfTheSend() {
		RecordingSession laptop = new RecordingSession();
		RecordingSession phone = new RecordingSession();
		RecordingSession bob = new RecordingSession();
		this.manager.connect("alice", laptop);
		this.manager.connect("bob", bob);
		this.manager.joinRoom("alice", "general");
		this.manager.joinRoom("bob", "general");
		assertThat(this.manager.broadcastToRoom("general", "one tab")).isEqualTo(2);

		this.manager.connect("alice", phone);
		assertThat(this.manager.broadcastToRoom("general", "two tabs")).isEqualTo(3);
		this.manager.disconnect("alice", laptop, CloseStatus.GOING_AWAY);
		assertThat(this.manager.broadcastToRoom("general", "phone only")).isEqualTo(2);
		this.manager.leaveRoom("bob", "general");
		assertThat(this.manager.broadcastToRoom("general", "bob left")).isOne();
		this.manager.joinRoom("bob", "general");
		assertThat(this.manager.broadcastToRoom("general", "bob is back", "alice")).isOne();

		assertThat(laptop.nextText()).isEqualTo("one tab");
		assertThat(laptop.nextText()).isEqualTo("two tabs");
		assertThat(phone.nextText()).isEqualTo("two tabs");
		assertThat(phone.nextText()).isEqualTo("phone only");
		assertThat(phone.nextText()).isEqualTo("bob left");
		assertThat(bob.nextText()).isEqualTo("one tab");
		assertThat(bob.nextText()).isEqualTo("two tabs");
		assertThat(bob.nextText()).isEqualTo("phone only");
		assertThat(bob.nextText()).isEqualTo("bob is back");
	}

	@Test // #15
	void aSendToMoreConnectionsThanOneHandOverReachesEachInOrder() {
		List<RecordingSession> sessions = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			RecordingSession session = new RecordingSession();
			sessions.add(session);
			this.manager.connect("user" + i, session);
			this.manager.joinRoom("user" + i, "crowd");
		}
		assertThat(this.manager.broadcast("first")).isEqualTo(600);
		assertThat(this.manager.broadcastToRoom("crowd", "second")).isEqualTo(600);
		assertThat(this.manager.broadcast("third", "user599")).isEqualTo(599);
		for (int i = 0; i < 600; i++) {
			RecordingSession session = sessions.get(i);
			assertThat(session.nextText()).isEqualTo("first");
			assertThat(session.nextText()).isEqualTo("second");
			if (i < 599) {
				assertThat(session.nextText()).isEqualTo("third");
			}
		}
	}

	@Test
	void leaveRoomRemovesMemberAndEmptyRoomsDisappear() {
		this.manager.connect("alice", new RecordingSession());
		this.manager.connect("bob", new RecordingSession());
		this.manager.joinRoom("alice", "general");
		this.manager.joinRoom("bob", "general");
		this.manager.joinRoom("alice", "vip");
		assertThat(this.manager.roomCount()).isEqualTo(2);
		assertThat(this.manager.leaveRoom("alice", "vip")).isTrue();
		assertThat(this.manager.leaveRoom("alice", "vip")).isFalse();
		assertThat(this.manager.roomCount()).isEqualTo(1);
		assertThat(this.manager.leaveRoom("bob", "general")).isTrue();
		assertThat(this.manager.getRoomUsers("general")).containsExactly("alice");
		assertThat(this.manager.getUserRooms("alice")).containsExactly("general");
	}

	@Test
	void joinRoomRefusesUsersWithoutConnection() {
		assertThat(this.manager.joinRoom("ghost", "general")).isFalse();
		assertThat(this.manager.roomCount()).isZero();
	}

	@Test
	void roomsSurviveWhileTheUserHasAConnectionAndGoWithTheLast() {
		RecordingSession phone = new RecordingSession();
		RecordingSession laptop = new RecordingSession();
		this.manager.connect("alice", phone);
		this.manager.connect("alice", laptop);
		this.manager.joinRoom("alice", "general");
		this.manager.disconnect("alice", phone);
		assertThat(this.manager.getRoomUsers("general")).containsExactly("alice");
		assertThat(this.manager.getUserConnections("alice")).singleElement()
			.satisfies((info) -> assertThat(info.rooms()).containsExactly("general"));
		this.manager.disconnect("alice", laptop);
		assertThat(this.manager.getRoomUsers("general")).isEmpty();
		assertThat(this.manager.roomCount()).isZero();
		assertThat(this.manager.isUserConnected("alice")).isFalse();
		assertThat(this.manager.activeUsers()).isEmpty();
	}

	@Test
	void disconnectClosesAnOpenSessionNormallyAfterWhatIsQueued() throws Exception {
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.sendToUser("alice", "last words");
		this.manager.disconnect("alice", session);
		assertThat(session.nextText()).isEqualTo("last words");
		await().atMost(Duration.ofSeconds(5)).until(() -> !session.closeStatuses().isEmpty());
		assertThat(session.closeStatuses()).containsExactly(CloseStatus.NORMAL);
		assertThat(this.manager.connectionCount()).isZero();
	}

	@Test
	void aCloseAfterWhatIsQueuedWritesAMessageQueuedAsADrainWasEnding() throws Exception {
		// #11: the writer found the queue empty, then a reply and the close came in
		// before it ended its drain
		NativeRecordingSession session = new NativeRecordingSession();
		this.manager.connect("player", session);
		session.stall();
		this.manager.sendToUser("player", "a");
		await().atMost(Duration.ofSeconds(5)).until(() -> session.writesStarted() == 1);
		this.manager.sendToUser("player", "b");
		this.manager.sendToUser("player", "c");
		CountDownLatch flushing = session.holdNextFlush();
		session.resume();
		assertThat(flushing.await(5, TimeUnit.SECONDS)).as("the writer ends its batch of b and c").isTrue();
		this.manager.sendToUser("player", "d");
		this.manager.disconnect("player", session, CloseStatus.POLICY_VIOLATION);
		session.releaseFlush();
		await().atMost(Duration.ofSeconds(5)).until(() -> !session.closeStatuses().isEmpty());
		assertThat(session.sentTexts()).containsExactly("a", "b", "c", "d");
		assertThat(session.closeStatuses()).containsExactly(CloseStatus.POLICY_VIOLATION);
	}

	@Test
	void disconnectUserClosesEveryConnectionWithTheGivenStatus() {
		RecordingSession phone = new RecordingSession();
		RecordingSession laptop = new RecordingSession();
		this.manager.connect("alice", phone);
		this.manager.connect("alice", laptop);
		this.manager.disconnect("alice", CloseStatuses.SHUTTING_DOWN);
		assertThat(this.manager.isUserConnected("alice")).isFalse();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> phone.closeStatuses().contains(CloseStatuses.SHUTTING_DOWN)
					&& laptop.closeStatuses().contains(CloseStatuses.SHUTTING_DOWN));
	}

	@Test
	void disconnectOfUnknownSessionDoesNothing() {
		RecordingListener listener = new RecordingListener();
		this.manager.onDisconnect(listener);
		this.manager.disconnect("alice", new RecordingSession());
		this.manager.disconnect("nobody");
		assertThat(listener.count()).isZero();
	}

	@Test
	void hooksSeeConnectAndDisconnectWithStatusAndMetadata() {
		RecordingListener connects = new RecordingListener();
		RecordingListener disconnects = new RecordingListener();
		this.manager.onConnect(connects);
		this.manager.onDisconnect(disconnects);
		RecordingSession session = new RecordingSession();
		String id = this.manager.connect("alice", session, Map.of("room", "lobby"));
		assertThat(connects.events()).singleElement().satisfies((event) -> {
			assertThat(event.userId()).isEqualTo("alice");
			assertThat(event.connectionId()).isEqualTo(id);
			assertThat(event.session()).isSameAs(session);
			assertThat(event.metadata()).containsEntry("room", "lobby");
			assertThat(event.closeStatus()).isNull();
		});
		session.close(CloseStatus.GOING_AWAY);
		this.manager.disconnect("alice", session, CloseStatus.GOING_AWAY);
		assertThat(disconnects.events()).singleElement().satisfies((event) -> {
			assertThat(event.connectionId()).isEqualTo(id);
			assertThat(event.closeStatus()).isEqualTo(CloseStatus.GOING_AWAY);
		});
	}

	@Test
	void aFailingListenerIsLoggedAndDoesNotStopOthersOrTheConnection() throws Exception {
		RecordingListener after = new RecordingListener();
		this.manager.onConnect((event) -> {
			throw new IllegalStateException("listener bug");
		});
		this.manager.onConnect(after);
		this.manager.onDisconnect((event) -> {
			throw new IllegalStateException("listener bug");
		});
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		assertThat(after.count()).isEqualTo(1);
		this.manager.sendToUser("alice", "still works");
		assertThat(session.nextText()).isEqualTo("still works");
		this.manager.disconnect("alice", session);
		assertThat(this.manager.connectionCount()).isZero();
	}

	@Test
	void listenersMayCallTheManager() throws Exception {
		RecordingSession watcher = new RecordingSession();
		this.manager.connect("watcher", watcher);
		this.manager.onConnect((event) -> this.manager.broadcast("joined " + event.userId(), event.userId()));
		this.manager.onDisconnect((event) -> this.manager.broadcast("left " + event.userId()));
		RecordingSession alice = new RecordingSession();
		this.manager.connect("alice", alice);
		this.manager.disconnect("alice", alice);
		assertThat(watcher.nextText()).isEqualTo("joined alice");
		assertThat(watcher.nextText()).isEqualTo("left alice");
	}

	@Test
	void vanishedSessionIsRemovedOnNextSendAndTheHookFiresOnce() throws Exception {
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		RecordingSession gone = new RecordingSession();
		RecordingSession alive = new RecordingSession();
		String goneId = this.manager.connect("alice", gone);
		this.manager.connect("bob", alive);
		this.manager.joinRoom("alice", "general");
		gone.vanish();
		this.manager.broadcast("hello");
		this.manager.broadcast("again");
		assertThat(alive.nextText()).isEqualTo("hello");
		assertThat(this.manager.isUserConnected("alice")).isFalse();
		assertThat(this.manager.roomCount()).isZero();
		this.manager.disconnect("alice", gone);
		assertThat(disconnects.countFor(goneId)).isEqualTo(1);
		assertThat(disconnects.events()).singleElement()
			.satisfies((event) -> assertThat(event.closeStatus().getCode()).isEqualTo(1006));
	}

	@Test
	void failedWriteRemovesTheConnectionOnceAndKeepsOthersServed() throws Exception {
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		RecordingSession broken = new RecordingSession();
		RecordingSession alive = new RecordingSession();
		String brokenId = this.manager.connect("alice", broken);
		this.manager.connect("bob", alive);
		broken.failWrites();
		this.manager.broadcast("one");
		this.manager.broadcast("two");
		assertThat(alive.nextText()).isEqualTo("one");
		assertThat(alive.nextText()).isEqualTo("two");
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.manager.isUserConnected("alice"));
		this.manager.broadcast("three");
		assertThat(alive.nextText()).isEqualTo("three");
		assertThat(disconnects.countFor(brokenId)).isEqualTo(1);
	}

	@Test
	void stringsAreTextBytesAreBinaryAndObjectsAreJson() throws Exception {
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.sendToUser("alice", "plain");
		this.manager.sendToUser("alice", "raw".getBytes(StandardCharsets.UTF_8));
		this.manager.sendToUser("alice", ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		this.manager.sendToUser("alice", Map.of("type", "notification"));
		this.manager.sendToUser("alice", new TextMessage("spring text"));
		this.manager.sendToUser("alice", dev.wsinfra.WebSocketMessage.binary(new byte[] { 9 }));
		this.manager.send(session, new PingMessage(ByteBuffer.wrap(new byte[] { 7 })));
		assertThat(session.nextText()).isEqualTo("plain");
		assertThat(session.nextBinary().getPayload())
			.isEqualTo(ByteBuffer.wrap("raw".getBytes(StandardCharsets.UTF_8)));
		assertThat(session.nextBinary().getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		assertThat(session.nextText()).isEqualTo("{\"type\":\"notification\"}");
		assertThat(session.nextText()).isEqualTo("spring text");
		BinaryMessage binary = session.nextBinary();
		assertThat(binary.getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] { 9 }));
		assertThat(session.nextMessage()).isInstanceOfSatisfying(PingMessage.class,
				(ping) -> assertThat(ping.getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] { 7 })));
	}

	@Test
	void broadcastSerializesOnceForAllRecipients() throws Exception {
		RecordingSession[] sessions = { new RecordingSession(), new RecordingSession(), new RecordingSession() };
		for (int i = 0; i < sessions.length; i++) {
			this.manager.connect("user" + i, sessions[i]);
			this.manager.joinRoom("user" + i, "room");
		}
		CountingPayload payload = new CountingPayload();
		this.manager.broadcast(payload);
		this.manager.broadcastToRoom("room", payload);
		for (RecordingSession session : sessions) {
			assertThat(session.nextText()).isEqualTo("{\"value\":\"x\"}");
			assertThat(session.nextText()).isEqualTo("{\"value\":\"x\"}");
		}
		assertThat(payload.serializations.get()).isEqualTo(2);
	}

	@Test
	void unserializableMessageFailsClearlyAndTheManagerGoesOn() throws Exception {
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.manager.sendToUser("alice", new Unserializable()))
			.withMessageContaining("Unserializable");
		this.manager.sendToUser("alice", "fine");
		assertThat(session.nextText()).isEqualTo("fine");
	}

	@Test
	void sendToOneSessionReachesOnlyThatConnection() throws Exception {
		RecordingSession phone = new RecordingSession();
		RecordingSession laptop = new RecordingSession();
		this.manager.connect("alice", phone);
		this.manager.connect("alice", laptop);
		assertThat(this.manager.send(phone, "only phone")).isTrue();
		assertThat(this.manager.send(new RecordingSession(), "unknown")).isFalse();
		this.manager.sendToUser("alice", "marker");
		assertThat(phone.nextText()).isEqualTo("only phone");
		assertThat(laptop.nextText()).isEqualTo("marker");
	}

	@Test
	void perUserLimitRefusesTheConnectionOverIt() {
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().maxConnectionsPerUser(2).build(), JsonMapper.builder().build());
		this.manager.connect("alice", new RecordingSession());
		this.manager.connect("alice", new RecordingSession());
		assertThatExceptionOfType(TooManyConnectionsException.class)
			.isThrownBy(() -> this.manager.connect("alice", new RecordingSession()))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo(2));
		this.manager.connect("bob", new RecordingSession());
		assertThat(this.manager.connectionCount()).isEqualTo(3);
	}

	@Test
	void slowConsumerIsClosedWith1013AndOthersKeepReceiving() throws Exception {
		this.manager = new InMemoryConnectionManager(ConnectionManagerSettings.builder().outboundQueueLimit(4).build(),
				JsonMapper.builder().build());
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		RecordingSession slow = new RecordingSession();
		RecordingSession fast = new RecordingSession();
		this.manager.connect("slow", slow);
		this.manager.connect("fast", fast);
		slow.stall();
		for (int i = 0; i < 20; i++) {
			this.manager.broadcast("m" + i);
			assertThat(fast.nextText()).isEqualTo("m" + i);
		}
		assertThat(this.manager.isUserConnected("slow")).isFalse();
		assertThat(this.manager.isUserConnected("fast")).isTrue();
		assertThat(disconnects.events()).singleElement().satisfies((event) -> {
			assertThat(event.closeStatus()).isEqualTo(CloseStatuses.SLOW_CONSUMER);
		});
		slow.resume();
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.closeStatuses().contains(CloseStatuses.SLOW_CONSUMER));
	}

	@Test
	void dropOldestKeepsTheSlowConsumerWithTheNewestMessages() throws Exception {
		this.manager = new InMemoryConnectionManager(ConnectionManagerSettings.builder()
			.outboundQueueLimit(4)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
			.build(), JsonMapper.builder().build());
		RecordingSession slow = new RecordingSession();
		this.manager.connect("slow", slow);
		slow.stall();
		this.manager.broadcast("first");
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.writesStarted() == 1);
		for (int i = 0; i < 20; i++) {
			this.manager.broadcast("m" + i);
		}
		assertThat(this.manager.isUserConnected("slow")).isTrue();
		assertThat(this.manager.droppedMessageCount()).isGreaterThan(0);
		slow.resume();
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.sentTexts().contains("m19"));
		List<String> received = slow.sentTexts();
		assertThat(received).hasSizeLessThanOrEqualTo(6).endsWith("m16", "m17", "m18", "m19");
	}

	@Test
	void aQueueOverItsByteBudgetIsClosedWith1013CountingUtf8Bytes() throws Exception {
		// #11: two messages of 300 characters and 600 bytes overflow a budget of
		// 1000 bytes
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().outboundQueueBytes(1000).build(), JsonMapper.builder().build());
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		RecordingSession slow = stalledWithAWriteInFlight("slow");
		this.manager.sendToUser("slow", "é".repeat(300));
		assertThat(this.manager.isUserConnected("slow")).isTrue();
		this.manager.sendToUser("slow", "é".repeat(300));
		assertThat(this.manager.isUserConnected("slow")).isFalse();
		assertThat(disconnects.events()).singleElement()
			.satisfies((event) -> assertThat(event.closeStatus()).isEqualTo(CloseStatuses.SLOW_CONSUMER));
		slow.resume();
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.closeStatuses().contains(CloseStatuses.SLOW_CONSUMER));
	}

	@Test
	void aMessageLargerThanTheWholeBudgetIsDeliveredWhenNothingElseIsQueued() throws Exception {
		// #11
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().outboundQueueBytes(100).build(), JsonMapper.builder().build());
		RecordingSession session = new RecordingSession();
		this.manager.connect("reader", session);
		String large = "l".repeat(10_000);
		for (int i = 0; i < 3; i++) {
			this.manager.sendToUser("reader", large);
			assertThat(session.nextText()).isEqualTo(large);
		}
		assertThat(this.manager.isUserConnected("reader")).isTrue();
	}

	@Test
	void dropOldestKeepsTheQueueWithinItsByteBudget() throws Exception {
		// #11
		this.manager = new InMemoryConnectionManager(ConnectionManagerSettings.builder()
			.outboundQueueBytes(1000)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
			.build(), JsonMapper.builder().build());
		RecordingSession slow = stalledWithAWriteInFlight("slow");
		for (int i = 0; i < 20; i++) {
			this.manager.sendToUser("slow", i + ":" + "d".repeat(400));
		}
		assertThat(this.manager.isUserConnected("slow")).isTrue();
		assertThat(this.manager.droppedMessageCount()).isEqualTo(18);
		slow.resume();
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.sentMessages().size() == 3);
		assertThat(slow.sentTexts()).extracting((text) -> text.substring(0, text.indexOf(':')))
			.containsExactly("first", "18", "19");
	}

	@Test
	void aMessageOlderThanTheMaximumDelayClosesItsConnectionWith1013() throws Exception {
		// #11: the peer takes no message at all, and nothing bounds it but the delay
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().outboundMaxDelay(Duration.ofMillis(200)).build(),
				JsonMapper.builder().build());
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		RecordingSession slow = stalledWithAWriteInFlight("slow");
		this.manager.sendToUser("slow", "queued");
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.manager.sendToUser("slow", "later");
			return !this.manager.isUserConnected("slow");
		});
		assertThat(disconnects.events()).singleElement()
			.satisfies((event) -> assertThat(event.closeStatus()).isEqualTo(CloseStatuses.SLOW_CONSUMER));
		slow.resume();
	}

	@Test
	void dropOldestDropsWhatWaitedLongerThanTheMaximumDelay() throws Exception {
		// #11: a slow reader keeps its connection and gets fresh messages, not a
		// stale backlog
		this.manager = new InMemoryConnectionManager(ConnectionManagerSettings.builder()
			.outboundMaxDelay(Duration.ofMillis(200))
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
			.build(), JsonMapper.builder().build());
		RecordingSession slow = stalledWithAWriteInFlight("slow");
		this.manager.sendToUser("slow", "stale:1");
		this.manager.sendToUser("slow", "stale:2");
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.manager.sendToUser("slow", "fresh:");
			return this.manager.droppedMessageCount() >= 2;
		});
		slow.resume();
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.sentTexts().contains("fresh:"));
		assertThat(slow.sentTexts()).startsWith("first:").doesNotContain("stale:1", "stale:2");
		assertThat(this.manager.isUserConnected("slow")).isTrue();
	}

	/**
	 * Connects a session whose peer stopped reading while the writer was writing "first:"
	 * to it.
	 */
	private RecordingSession stalledWithAWriteInFlight(String user) {
		RecordingSession session = new RecordingSession();
		this.manager.connect(user, session);
		session.stall();
		this.manager.sendToUser(user, "first:");
		await().atMost(Duration.ofSeconds(5)).until(() -> session.writesStarted() == 1);
		return session;
	}

	@Test
	void flushReturnsOnceQueuedMessagesAreWritten() throws Exception {
		RecordingSession[] sessions = { new RecordingSession(), new RecordingSession(), new RecordingSession() };
		for (int i = 0; i < sessions.length; i++) {
			this.manager.connect("user" + i, sessions[i]);
		}
		for (int i = 0; i < 50; i++) {
			this.manager.broadcast("m" + i);
		}
		assertThat(this.manager.flush(Duration.ofSeconds(10))).isTrue();
		for (RecordingSession session : sessions) {
			assertThat(session.sentMessages().size()).isEqualTo(50);
		}
	}

	@Test
	void flushDoesNotWaitForAStalledPeer() throws Exception {
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().writeStallThreshold(Duration.ofMillis(200)).build(),
				JsonMapper.builder().build());
		RecordingSession slow = new RecordingSession();
		RecordingSession fast = new RecordingSession();
		this.manager.connect("slow", slow);
		this.manager.connect("fast", fast);
		slow.stall();
		this.manager.broadcast("hello");
		assertThat(this.manager.flush(Duration.ofSeconds(10))).isTrue();
		assertThat(fast.nextText()).isEqualTo("hello");
		assertThat(slow.sentMessages().size()).isZero();
		slow.resume();
		assertThat(slow.nextText()).isEqualTo("hello");
	}

	@Test
	void flushGivesUpAfterItsTimeout() {
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().writeStallThreshold(Duration.ofMinutes(1)).build(),
				JsonMapper.builder().build());
		RecordingSession slow = new RecordingSession();
		this.manager.connect("slow", slow);
		slow.stall();
		this.manager.broadcast("hello");
		assertThat(this.manager.flush(Duration.ofMillis(200))).isFalse();
		slow.resume();
		assertThat(this.manager.flush(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void aStalledWriterIsReplacedSoOtherConnectionsKeepGoing() throws Exception {
		this.manager = new InMemoryConnectionManager(ConnectionManagerSettings.builder()
			.writerThreads(1)
			.writeStallThreshold(Duration.ofMillis(100))
			.build(), JsonMapper.builder().build());
		RecordingSession slow = new RecordingSession();
		RecordingSession fast = new RecordingSession();
		this.manager.connect("slow", slow);
		slow.stall();
		this.manager.sendToUser("slow", "stuck");
		await().atMost(Duration.ofSeconds(5)).until(() -> slow.writesStarted() == 1);
		this.manager.connect("fast", fast);
		for (int i = 0; i < 5; i++) {
			this.manager.sendToUser("fast", "m" + i);
			assertThat(fast.nextText()).isEqualTo("m" + i);
		}
		slow.resume();
		assertThat(slow.nextText()).isEqualTo("stuck");
	}

	@Test
	void disconnectAfterTheManagerClosedStillRemovesAndClosesTheConnection() {
		// #5: containers close their sessions after the beans stopped
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.close();
		this.manager.disconnect("alice", session);
		assertThat(this.manager.connectionCount()).isZero();
		assertThat(disconnects.count()).isEqualTo(1);
		assertThat(session.closeStatuses()).containsExactly(CloseStatus.NORMAL);
	}

	@Test
	void writersKeepServingAfterRepeatedStallsAndStandIns() throws Exception {
		// #7: stand-ins retiring together once stranded a batch with no writer left
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().writerThreads(1).writeStallThreshold(Duration.ofMillis(20)).build(),
				JsonMapper.builder().build());
		RecordingSession fast = new RecordingSession();
		this.manager.connect("fast", fast);
		for (int round = 0; round < 20; round++) {
			RecordingSession slow = new RecordingSession();
			this.manager.connect("slow" + round, slow);
			slow.stall();
			this.manager.sendToUser("slow" + round, "stuck");
			await().atMost(Duration.ofSeconds(5)).until(() -> slow.writesStarted() == 1);
			this.manager.sendToUser("fast", "during " + round);
			assertThat(fast.nextText()).isEqualTo("during " + round);
			slow.resume();
			assertThat(slow.nextText()).isEqualTo("stuck");
			this.manager.sendToUser("fast", "after " + round);
			assertThat(fast.nextText()).isEqualTo("after " + round);
		}
	}

	@Test
	void settingsRejectBadValuesNamingThem() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().outboundQueueLimit(0).build())
			.withMessage("outboundQueueLimit must be greater than 0, was 0");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().maxConnectionsPerUser(-1).build())
			.withMessageContaining("maxConnectionsPerUser");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().closeTimeout(Duration.ZERO).build())
			.withMessageContaining("closeTimeout");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().writerThreads(0).build())
			.withMessage("writerThreads must be greater than 0, was 0");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().writeStallThreshold(Duration.ofNanos(3)).build())
			.withMessageContaining("writeStallThreshold must be at least PT0.001S");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().outboundQueueBytes(0).build())
			.withMessage("outboundQueueBytes must be greater than 0, was 0");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().outboundMaxDelay(Duration.ofSeconds(-1)).build())
			.withMessage("outboundMaxDelay must be 0 (no limit) or a positive duration, was PT-1S");
	}

	/** Fails when Jackson serializes it. */
	static final class Unserializable {

		public String getValue() {
			throw new IllegalStateException("cannot read value");
		}

	}

	/** Counts how often Jackson serializes it. */
	static final class CountingPayload {

		final AtomicInteger serializations = new AtomicInteger();

		public String getValue() {
			this.serializations.incrementAndGet();
			return "x";
		}

	}

}
