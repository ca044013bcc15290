package dev.wsinfra.server;

import java.io.IOException;
import java.util.concurrent.Executor;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes through {@link WebSocketSession#sendMessage} on an executor, for sessions whose
 * container offers no asynchronous send. A peer that stops reading holds one executor thread
 * until the container's write times out.
 */
final class BlockingSessionTransport implements SessionTransport {

	private final WebSocketSession session;

	private final Executor executor;

	BlockingSessionTransport(WebSocketSession session, Executor executor) {
		this.session = session;
		this.executor = executor;
	}

	@Override
	public void send(OutboundMessage message, Callback callback) {
		this.executor.execute(() -> {
			try {
				this.session.sendMessage(message.toSpringMessage());
			}
			catch (IOException | RuntimeException ex) {
				callback.completed(ex);
				return;
			}
			callback.completed(null);
		});
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		this.session.close(status);
	}

}
