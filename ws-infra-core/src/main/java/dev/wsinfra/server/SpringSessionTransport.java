package dev.wsinfra.server;

import java.io.IOException;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes through {@link WebSocketSession#sendMessage}, for sessions that expose no
 * Jakarta WebSocket session. Such a session has no asynchronous write: a peer that stops
 * reading holds a writer thread until the container's write times out (the pool adds a
 * thread meanwhile).
 */
final class SpringSessionTransport implements SessionTransport {

	private final WebSocketSession session;

	SpringSessionTransport(WebSocketSession session) {
		this.session = session;
	}

	@Override
	public void write(OutboundMessage message) throws IOException {
		this.session.sendMessage(message.toSpringMessage());
	}

	@Override
	public int batchLimit() {
		return Integer.MAX_VALUE;
	}

	@Override
	public void beginWrites() {
	}

	@Override
	public void endWrites() {
	}

	@Override
	public boolean canWriteAsync() {
		return false;
	}

	@Override
	public void writeAsync(OutboundMessage message, Callback callback) {
		throw new UnsupportedOperationException("Session " + this.session.getId() + " has no asynchronous write");
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		this.session.close(status);
	}

}
