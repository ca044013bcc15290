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
 * Writes straight to the Jakarta WebSocket session under a Spring session (Tomcat,
 * Undertow, Jetty's Jakarta endpoint): blocking writes through the basic remote,
 * asynchronous ones through the async remote. On a Tomcat of a proven version, text goes
 * through {@link TomcatFrames} instead: the message's UTF-8 bytes, encoded once for all
 * its recipients, each written as one frame. A run of writes is batched: the container
 * gathers the frames in its output buffer and writes them with one system call when the
 * buffer fills or the run ends. Batching is on only during a run, so frames the container
 * sends by itself, such as pongs, are never held back.
 */
final class JakartaSessionTransport implements SessionTransport, SendHandler {

	/** Tomcat's per-session bound on blocking writes, which include the close frame. */
	static final String BLOCKING_SEND_TIMEOUT_PROPERTY = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final WebSocketSession session;

	private final RemoteEndpoint.Basic basic;

	private final RemoteEndpoint.Async async;

	private final @Nullable TomcatFrames frames;

	private final int batchLimit;

	// Written before each asynchronous write and read by its completion; one write at
	// a time.
	private volatile @Nullable Callback callback;

	JakartaSessionTransport(WebSocketSession session, Session nativeSession, Duration writeTimeout) {
		this(session, nativeSession, writeTimeout, TomcatFrames.of(nativeSession, writeTimeout.toMillis()));
	}

	JakartaSessionTransport(WebSocketSession session, Session nativeSession, Duration writeTimeout,
			@Nullable TomcatFrames frames) {
		this.session = session;
		this.basic = nativeSession.getBasicRemote();
		this.async = nativeSession.getAsyncRemote();
		this.async.setSendTimeout(writeTimeout.toMillis());
		nativeSession.getUserProperties().put(BLOCKING_SEND_TIMEOUT_PROPERTY, writeTimeout.toMillis());
		this.frames = frames;
		// Tomcat copies batched frames through its output buffer: a frame
		// larger than half of it is better written alone.
		this.batchLimit = (frames != null) ? Math.max(1, frames.outputBufferSize() / 2) : Integer.MAX_VALUE;
	}

	/**
	 * Returns whether text is written through {@link TomcatFrames}.
	 */
	boolean writesFrames() {
		return this.frames != null;
	}

	@Override
	public void write(OutboundMessage message) throws IOException {
		if (message.isPing()) {
			this.basic.sendPing(message.binary());
		}
		else if (message.isText()) {
			TomcatFrames frames = this.frames;
			if (frames != null) {
				frames.write(message.utf8());
			}
			else {
				this.basic.sendText(message.text());
			}
		}
		else {
			this.basic.sendBinary(message.binary());
		}
	}

	@Override
	public int batchLimit() {
		return this.batchLimit;
	}

	@Override
	public void beginWrites() throws IOException {
		this.basic.setBatchingAllowed(true);
	}

	@Override
	public void endWrites() throws IOException {
		// Turning batching off flushes the batch.
		this.basic.setBatchingAllowed(false);
	}

	@Override
	public boolean canWriteAsync() {
		return true;
	}

	@Override
	public void writeAsync(OutboundMessage message, Callback callback) {
		if (message.isPing()) {
			// Control frames have no asynchronous send in the Jakarta API. A ping is
			// written only after the previous write completed, and a blocking write is
			// bounded by the session's blocking send timeout, which fails a peer that
			// stopped reading.
			try {
				write(message);
			}
			catch (IOException | RuntimeException ex) {
				callback.completed(ex);
				return;
			}
			callback.completed(null);
			return;
		}
		this.callback = callback;
		TomcatFrames frames = this.frames;
		if (message.isText() && frames != null) {
			frames.writeAsync(message.utf8(), this);
		}
		else if (message.isText()) {
			this.async.sendText(message.text(), this);
		}
		else {
			this.async.sendBinary(message.binary(), this);
		}
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
