package dev.wsinfra.server;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;

/**
 * A session that counts what is written to it and discards it, so that a benchmark measures
 * the manager rather than a network.
 */
final class DiscardingSession extends NetworklessSession {

	private final LongAdder written;

	DiscardingSession(LongAdder written) {
		super("bench-");
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
	public void close() {
	}

	@Override
	public void close(CloseStatus status) {
	}

}
