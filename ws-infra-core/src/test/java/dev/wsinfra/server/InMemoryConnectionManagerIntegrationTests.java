package dev.wsinfra.server;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TomcatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The manager behind a real Tomcat, with real clients on loopback.
 */
class InMemoryConnectionManagerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private InMemoryConnectionManager manager;

	private ManagedHandler handler;

	private TomcatServer server;

	@AfterEach
	void stop() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private void startServer(ConnectionManagerSettings settings, boolean disconnectOnClose) throws Exception {
		this.manager = new InMemoryConnectionManager(settings, JsonMapper.builder().build());
		this.handler = new ManagedHandler(this.manager, disconnectOnClose);
		this.server = TomcatServer.start(this.handler, "/ws");
		this.resources.add(this.server);
		this.resources.add(this.manager);
	}

	private WsTestClient client(String user) throws Exception {
		WsTestClient client = WsTestClient.open(this.server.uri("/ws?user=" + user));
		this.resources.add(client);
		return client;
	}

	record Notification(String type, String data) {
	}

	@Test
	void twoUsersThreeConnectionsRoomsBroadcastAndDirectSends() throws Exception {
		startServer(ConnectionManagerSettings.defaults(), true);
		WsTestClient alicePhone = client("alice");
		WsTestClient aliceLaptop = client("alice");
		WsTestClient bob = client("bob");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 3);
		assertThat(this.manager.activeUsers()).containsExactlyInAnyOrder("alice", "bob");
		assertThat(this.manager.getUserConnections("alice")).hasSize(2);

		this.manager.sendToUser("alice", new Notification("notification", "hi"));
		assertThat(alicePhone.nextText()).isEqualTo("{\"type\":\"notification\",\"data\":\"hi\"}");
		assertThat(aliceLaptop.nextText()).isEqualTo("{\"type\":\"notification\",\"data\":\"hi\"}");

		this.manager.joinRoom("alice", "general");
		this.manager.joinRoom("bob", "general");
		this.manager.broadcastToRoom("general", "from bob", "bob");
		this.manager.broadcast("everyone");
		this.manager.broadcast("not alice", "alice");
		assertThat(alicePhone.nextText()).isEqualTo("from bob");
		assertThat(alicePhone.nextText()).isEqualTo("everyone");
		assertThat(aliceLaptop.nextText()).isEqualTo("from bob");
		assertThat(aliceLaptop.nextText()).isEqualTo("everyone");
		assertThat(bob.nextText()).isEqualTo("everyone");
		assertThat(bob.nextText()).isEqualTo("not alice");

		this.manager.sendToUser("bob", new byte[] { 1, 2, 3 });
		assertThat(bob.nextBinary()).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		this.manager.send(this.handler.sessionOf("bob"), new PingMessage(ByteBuffer.wrap(new byte[] { 4 })));
		assertThat(this.handler.awaitPong()).isEqualTo(ByteBuffer.wrap(new byte[] { 4 }));

		alicePhone.close();
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 2);
		assertThat(this.manager.getRoomUsers("general")).containsExactlyInAnyOrder("alice", "bob");
		this.manager.broadcastToRoom("general", "still here", "bob");
		assertThat(aliceLaptop.nextText()).isEqualTo("still here");

		aliceLaptop.close();
		await().atMost(WAIT).until(() -> !this.manager.isUserConnected("alice"));
		assertThat(this.manager.getRoomUsers("general")).containsExactly("bob");
		this.manager.disconnect("bob");
		assertThat(bob.awaitClose().code()).isEqualTo(1000);
		assertThat(this.manager.connectionCount()).isZero();
		assertThat(this.manager.roomCount()).isZero();
	}

	@Test // #15
	void aConnectionItsPeerClosedIsNotHeldUntilTheCloseTimeout() throws Exception {
		startServer(ConnectionManagerSettings.builder().closeTimeout(Duration.ofMinutes(1)).build(), true);
		AtomicReference<WeakReference<WebSocketSession>> closed = new AtomicReference<>();
		this.manager.onDisconnect((event) -> closed.set(new WeakReference<>(event.session())));
		WsTestClient leaving = client("alice");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 1);
		// The handler remembers the latest session of each user: a second one makes it
		// forget the first.
		client("alice");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 2);

		leaving.close();
		await().atMost(WAIT).until(() -> closed.get() != null);
		await().atMost(WAIT).untilAsserted(() -> {
			System.gc();
			assertThat(closed.get().get()).isNull();
		});
		assertThat(this.manager.connectionCount()).isOne();
	}

	@Test
	void batchedWritesNeverHoldBackTheContainersPongs() throws Exception {
		startServer(ConnectionManagerSettings.defaults(), true);
		WsTestClient client = client("alice");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 1);
		for (int i = 0; i < 100; i++) {
			this.manager.sendToUser("alice", "m" + i);
		}
		assertThat(this.manager.flush(WAIT)).isTrue();
		assertThat(client.ping(ByteBuffer.wrap(new byte[] { 5 }))).isEqualTo(ByteBuffer.wrap(new byte[] { 5 }));
		for (int i = 0; i < 100; i++) {
			assertThat(client.nextText()).isEqualTo("m" + i);
		}
	}

	@Test
	void aPingQueuedBehindALargeMessageIsWritten() throws Exception {
		// #4: keepalive pings travel through the queue; one dropped means a healthy
		// client closed for a missing pong
		startServer(ConnectionManagerSettings.defaults(), true);
		WsTestClient client = client("alice");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 1);
		String large = "x".repeat(Connection.ASYNC_WRITE_THRESHOLD * 2);
		this.manager.sendToUser("alice", large);
		this.manager.send(this.handler.sessionOf("alice"), new PingMessage(ByteBuffer.wrap(new byte[] { 6 })));
		assertThat(client.nextText()).isEqualTo(large);
		assertThat(this.handler.awaitPong()).isEqualTo(ByteBuffer.wrap(new byte[] { 6 }));
	}

	@Test
	void clientKilledWithoutCloseFrameIsRemovedWithOneDisconnectEvent() throws Exception {
		startServer(ConnectionManagerSettings.defaults(), true);
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		WsTestClient alice = client("alice");
		WsTestClient bob = client("bob");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 2);
		String aliceConnection = this.manager.getUserConnections("alice").get(0).connectionId();
		alice.abort();
		await().atMost(WAIT).until(() -> !this.manager.isUserConnected("alice"));
		this.manager.broadcast("after");
		assertThat(bob.nextText()).isEqualTo("after");
		assertThat(disconnects.countFor(aliceConnection)).isEqualTo(1);
		assertThat(disconnects.events().get(0).closeStatus().getCode()).isEqualTo(1006);
	}

	@Test
	void sessionThatClosedUnderneathIsDetectedOnNextSend() throws Exception {
		startServer(ConnectionManagerSettings.defaults(), false);
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		WsTestClient alice = client("alice");
		WsTestClient bob = client("bob");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 2);
		this.manager.joinRoom("alice", "general");
		alice.abort();
		await().atMost(WAIT).until(() -> !this.handler.sessionOf("alice").isOpen());
		assertThat(this.manager.isUserConnected("alice")).isTrue();

		this.manager.broadcast("first");
		this.manager.broadcast("second");
		assertThat(bob.nextText()).isEqualTo("first");
		assertThat(bob.nextText()).isEqualTo("second");
		assertThat(this.manager.isUserConnected("alice")).isFalse();
		assertThat(this.manager.roomCount()).isZero();
		this.manager.disconnect("alice", this.handler.sessionOf("alice"));
		assertThat(disconnects.count()).isEqualTo(1);
	}

	@Test
	void stalledClientIsClosedWith1013WithoutDelayingOthers() throws Exception {
		// One writer thread and a long write timeout: the others are served only because
		// the stalled connection is moved to asynchronous writes and its writer replaced.
		startServer(ConnectionManagerSettings.builder()
			.outboundQueueLimit(32)
			.writerThreads(1)
			.writeStallThreshold(Duration.ofMillis(200))
			.closeTimeout(Duration.ofSeconds(60))
			.build(), true);
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		WsTestClient stalled = WsTestClient.to(this.server.uri("/ws?user=stalled")).stalled().open();
		this.resources.add(stalled);
		WsTestClient first = client("first");
		WsTestClient second = client("second");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 3);
		String payload = "x".repeat(64 * 1024);
		int sent = 0;
		while (this.manager.isUserConnected("stalled") && sent < 2_000) {
			String message = sent + ":" + payload;
			this.manager.broadcast(message);
			assertThat(first.nextText()).isEqualTo(message);
			assertThat(second.nextText()).isEqualTo(message);
			sent++;
		}
		assertThat(this.manager.isUserConnected("stalled")).as("stalled client removed after %d messages", sent)
			.isFalse();
		assertThat(disconnects.events()).singleElement().satisfies((event) -> {
			assertThat(event.userId()).isEqualTo("stalled");
			assertThat(event.closeStatus()).isEqualTo(CloseStatuses.SLOW_CONSUMER);
		});
		this.manager.broadcast("after");
		assertThat(first.nextText()).isEqualTo("after");
		assertThat(second.nextText()).isEqualTo("after");
		assertThat(this.manager.connectionCount()).isEqualTo(2);
	}

	@Test
	void largeMessagesToAStalledClientNeverHoldAWriter() throws Exception {
		// #7: one writer, no stall watchdog within the test: a blocking write of a large
		// message to the stalled client would hold the only writer for a minute.
		startServer(ConnectionManagerSettings.builder()
			.writerThreads(1)
			.writeStallThreshold(Duration.ofMinutes(1))
			.closeTimeout(Duration.ofMinutes(1))
			.outboundQueueLimit(10_000)
			.outboundQueueBytes(64L * 1024 * 1024)
			.build(), true);
		WsTestClient stalled = WsTestClient.to(this.server.uri("/ws?user=stalled")).stalled().open();
		this.resources.add(stalled);
		WsTestClient reader = client("reader");
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 2);
		String large = "z".repeat(256 * 1024);
		for (int i = 0; i < 100; i++) {
			this.manager.sendToUser("stalled", large);
		}
		for (int i = 0; i < 20; i++) {
			this.manager.sendToUser("reader", "small " + i);
			assertThat(reader.nextText()).isEqualTo("small " + i);
		}
		assertThat(this.manager.isUserConnected("stalled")).isTrue();
	}

	@Test
	void aWriteThatTimesOutClosesItsConnectionAsASlowConsumer() throws Exception {
		// #7: without a timeout on asynchronous writes, a peer that never reads again
		// keeps its write in flight for ever under drop-oldest.
		startServer(ConnectionManagerSettings.builder()
			.closeTimeout(Duration.ofSeconds(1))
			.writeStallThreshold(Duration.ofMinutes(1))
			.outboundQueueLimit(10_000)
			.outboundQueueBytes(64L * 1024 * 1024)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
			.build(), true);
		RecordingListener disconnects = new RecordingListener();
		this.manager.onDisconnect(disconnects);
		WsTestClient stalled = WsTestClient.to(this.server.uri("/ws?user=stalled")).stalled().open();
		this.resources.add(stalled);
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 1);
		String large = "z".repeat(256 * 1024);
		for (int i = 0; i < 100; i++) {
			this.manager.sendToUser("stalled", large);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.manager.isUserConnected("stalled"));
		assertThat(disconnects.events()).singleElement()
			.satisfies((event) -> assertThat(event.closeStatus()).isEqualTo(CloseStatuses.SLOW_CONSUMER));
	}

}
