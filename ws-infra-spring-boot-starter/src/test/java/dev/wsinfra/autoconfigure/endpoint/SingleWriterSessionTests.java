package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import dev.wsinfra.test.RecordingWebSocketSession;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class SingleWriterSessionTests {

	private final RecordingWebSocketSession session = new RecordingWebSocketSession("1");

	private final SingleWriterSession writer = new SingleWriterSession(this.session, Duration.ofMillis(50));

	@Test
	void libraryNeverWritesBetweenThePartsOfTheHandlersMessage() throws Exception {
		// #4
		TextMessage first = new TextMessage("par", false);
		TextMessage last = new TextMessage("ts", true);
		TextMessage own = new TextMessage("{\"type\":\"error\"}");
		this.writer.sendMessage(first);
		assertThatIOException().isThrownBy(() -> this.writer.sendOwn(own)).withMessageStartingWith("No turn");
		this.writer.sendMessage(last);
		this.writer.sendOwn(own);
		assertThat(this.session.sentMessages()).containsExactly(first, last, own);
	}

	@Test
	void controlFramesNeedNoTurn() throws IOException {
		this.writer.sendMessage(new TextMessage("par", false));
		PingMessage ping = new PingMessage(ByteBuffer.allocate(1));
		this.writer.sendMessage(ping);
		assertThat(this.session.sentMessages()).last().isSameAs(ping);
	}

	@Test
	void sessionKeepsItsIdAttributesAndContainerSession() {
		this.session.getAttributes().put("room", "lobby");
		assertThat(this.writer.getId()).isEqualTo("1");
		assertThat(this.writer.getAttributes()).containsEntry("room", "lobby");
		assertThat(WebSocketSessionDecorator.unwrap(this.writer)).isSameAs(this.session);
	}

}
