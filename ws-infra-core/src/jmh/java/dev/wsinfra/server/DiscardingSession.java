package dev.wsinfra.server;

import java.util.concurrent.atomic.LongAdder;

import dev.wsinfra.test.RecordingWebSocketSession;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;

/**
 * A session that counts what is written to it and discards it, so that a benchmark measures
 * the manager rather than a network.
 */
final class DiscardingSession extends RecordingWebSocketSession {

	private final LongAdder written;

	DiscardingSession(LongAdder written) {
		super();
		this.written = written;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) {
		this.written.increment();
	}

	@Override
	public boolean isOpen() {
		return true;
	}

	@Override
	public void close(CloseStatus status) {
	}

}
