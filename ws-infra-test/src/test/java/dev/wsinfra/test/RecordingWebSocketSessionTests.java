package dev.wsinfra.test;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RecordingWebSocketSession}.
 */
class RecordingWebSocketSessionTests {

	@Test // #12
	void generatedIdsAreUnique() {
		assertThat(new RecordingWebSocketSession().getId()).isNotEqualTo(new RecordingWebSocketSession().getId());
	}

	@Test // #12
	void recordsWhatIsSentInOrder() throws IOException {
		RecordingWebSocketSession session = new RecordingWebSocketSession("s1");
		session.sendMessage(new TextMessage("a"));
		session.sendMessage(new BinaryMessage(new byte[] { 1 }));
		session.sendMessage(new TextMessage("b"));
		assertThat(session.sentTexts()).containsExactly("a", "b");
		assertThat(session.sentMessages()).hasSize(3);
		assertThat(session.nextText()).isEqualTo("a");
		assertThat(session.nextBinary().getPayload()).isEqualTo(ByteBuffer.wrap(new byte[] { 1 }));
		assertThat(session.nextMessage()).isEqualTo(new TextMessage("b"));
	}

	@Test // #12
	void nextTextWaitsForASendOnAnotherThread() throws Exception {
		RecordingWebSocketSession session = new RecordingWebSocketSession();
		Thread sender = new Thread(() -> {
			try {
				session.sendMessage(new TextMessage("late"));
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		sender.start();
		assertThat(session.nextText()).isEqualTo("late");
		sender.join();
	}

	@Test // #12
	void nextTextFailsOnAnotherKindOfMessage() throws IOException {
		RecordingWebSocketSession session = new RecordingWebSocketSession("s2");
		session.sendMessage(new BinaryMessage(new byte[0]));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(session::nextText)
			.withMessageContaining("Expected a TextMessage sent to session s2");
	}

	@Test // #12
	void reportsOpenUntilClosedAndRecordsTheStatus() {
		RecordingWebSocketSession session = new RecordingWebSocketSession();
		assertThat(session.isOpen()).isTrue();
		session.close(CloseStatus.POLICY_VIOLATION);
		assertThat(session.isOpen()).isFalse();
		assertThat(session.closeStatuses()).containsExactly(CloseStatus.POLICY_VIOLATION);
	}

	@Test // #12
	void attributesAreKept() {
		RecordingWebSocketSession session = new RecordingWebSocketSession();
		session.getAttributes().put("user", "alice");
		assertThat(session.getAttributes()).containsEntry("user", "alice");
	}

}
