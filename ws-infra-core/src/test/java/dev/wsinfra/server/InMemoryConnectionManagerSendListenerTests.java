package dev.wsinfra.server;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.server.internal.TypedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.PingMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the in-memory manager tells its {@link SendListener}s.
 */
class InMemoryConnectionManagerSendListenerTests {

	private final InMemoryConnectionManager manager = new InMemoryConnectionManager();

	private final Reports reports = new Reports();

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test // #12
	void eachSendIsReportedOnceWithItsTypeAndTheConnectionsItWasQueuedOn() throws Exception {
		this.manager.onSend(this.reports);
		RecordingSession alicePhone = new RecordingSession();
		this.manager.connect("alice", alicePhone);
		this.manager.connect("alice", new RecordingSession());
		this.manager.connect("bob", new RecordingSession());
		this.manager.joinRoom("alice", "lobby");
		this.manager.sendToUser("alice", "to alice");
		this.manager.broadcast("to all");
		this.manager.broadcast("to all but alice", "alice");
		this.manager.broadcastToRoom("lobby", "to the lobby");
		this.manager.send(alicePhone, "to one");
		assertThat(this.reports.list()).containsExactly("USER 2", "BROADCAST 3", "BROADCAST 1", "ROOM 2", "DIRECT 1");
		assertThat(alicePhone.nextText()).isEqualTo("to alice");
	}

	@Test // #12
	void aSendThatReachesNoConnectionAndAPingAreNotReported() {
		this.manager.onSend(this.reports);
		this.manager.broadcast("nobody is connected");
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.sendToUser("bob", "not connected");
		this.manager.broadcast("only alice is connected", "alice");
		this.manager.broadcastToRoom("empty", "no members");
		this.manager.send(new RecordingSession(), "not registered");
		this.manager.send(session, new PingMessage(ByteBuffer.wrap(new byte[] { 1 })));
		assertThat(this.reports.list()).isEmpty();
	}

	@Test // #12
	void aFailingSendListenerBreaksNeitherTheSendNorTheOtherListeners() throws Exception {
		this.manager.onSend((type, connections) -> {
			throw new IllegalStateException("listener bug");
		});
		this.manager.onSend(this.reports);
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.sendToUser("alice", "first");
		assertThat(this.manager.send(session, "second")).isTrue();
		assertThat(session.nextText()).isEqualTo("first");
		assertThat(session.nextText()).isEqualTo("second");
		assertThat(this.reports.list()).containsExactly("USER 1", "DIRECT 1");
	}

	@Test // #12
	void aTypedMessageIsSentAsItsMessageAndReportedUnderItsType() throws Exception {
		this.manager.onSend(this.reports);
		RecordingSession session = new RecordingSession();
		this.manager.connect("alice", session);
		this.manager.send(session, new TypedMessage("entry", SendType.PERSISTENT));
		assertThat(session.nextText()).isEqualTo("entry");
		assertThat(this.reports.list()).containsExactly("PERSISTENT 1");
	}

	/** Records each report as "TYPE connections". */
	private static final class Reports implements SendListener {

		private final List<String> reports = new CopyOnWriteArrayList<>();

		@Override
		public void onSend(SendType type, int connections) {
			this.reports.add(type + " " + connections);
		}

		List<String> list() {
			return List.copyOf(this.reports);
		}

	}

}
