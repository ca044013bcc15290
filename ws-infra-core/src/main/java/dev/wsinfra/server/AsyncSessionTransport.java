package dev.wsinfra.server;

import java.io.IOException;
import java.time.Duration;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes through the container's asynchronous send, so that no thread waits on a slow peer:
 * the next message is started from the completion of the previous one.
 */
final class AsyncSessionTransport implements SessionTransport, SendHandler {

	/** Tomcat's per-session bound on blocking writes, which include the close frame. */
	static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final WebSocketSession session;

	private final RemoteEndpoint.Async remote;

	// Written before each send and read by its completion; one write is in flight at a time.
	private volatile @Nullable Callback callback;

	AsyncSessionTransport(WebSocketSession session, Session nativeSession, Duration closeTimeout) {
		this.session = session;
		this.remote = nativeSession.getAsyncRemote();
		nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT_PROPERTY, closeTimeout.toMillis());
	}

	@Override
	public void send(OutboundMessage message, Callback callback) {
		this.callback = callback;
		if (message.isPing()) {
			sendPing(message, callback);
		}
		else if (message.isText()) {
			this.remote.sendText(message.text(), this);
		}
		else {
			this.remote.sendBinary(message.binary(), this);
		}
	}

	/**
	 * Control frames have no asynchronous send in the Jakarta API; the blocking one returns as
	 * soon as the frame is written, which is at once when no message is in flight, and is
	 * bounded by the write timeout set on the session otherwise.
	 */
	private void sendPing(OutboundMessage message, Callback callback) {
		try {
			this.remote.sendPing(message.binary());
		}
		catch (IOException | RuntimeException ex) {
			callback.completed(ex);
			return;
		}
		callback.completed(null);
	}

	@Override
	public void onResult(SendResult result) {
		Callback callback = this.callback;
		if (callback != null) {
			callback.completed(result.isOK() ? null : result.getException());
		}
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		this.session.close(status);
	}

}
