package dev.wsinfra.server;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The seed's endpoint: connects each session to the manager under the {@code user} query
 * parameter and, unless told otherwise, disconnects it when the peer closes.
 */
final class ManagedHandler extends AbstractWebSocketHandler {

	private final ConnectionManager manager;

	private final boolean disconnectOnClose;

	private final Map<String, WebSocketSession> latestSessionByUser = new ConcurrentHashMap<>();

	private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();

	ManagedHandler(ConnectionManager manager, boolean disconnectOnClose) {
		this.manager = manager;
		this.disconnectOnClose = disconnectOnClose;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		String user = userOf(session);
		this.latestSessionByUser.put(user, session);
		this.manager.connect(user, session);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		if (this.disconnectOnClose) {
			this.manager.disconnect(userOf(session), session, status);
		}
	}

	@Override
	protected void handlePongMessage(WebSocketSession session, PongMessage message) {
		this.pongs.add(message.getPayload());
	}

	ByteBuffer awaitPong() throws InterruptedException {
		return this.pongs.poll(10, TimeUnit.SECONDS);
	}

	WebSocketSession sessionOf(String user) {
		return this.latestSessionByUser.get(user);
	}

	private static String userOf(WebSocketSession session) {
		return UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams().getFirst("user");
	}

}
