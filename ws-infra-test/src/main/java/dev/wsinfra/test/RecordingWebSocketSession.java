package dev.wsinfra.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A Spring {@link WebSocketSession} without a network, for unit tests of handlers and
 * connection managers: it has a unique id and attributes, reports itself open until
 * closed, and records what is sent to it and how it was closed.
 * <p>
 * Sends are recorded in order from any thread; {@link #nextMessage()} and its siblings
 * take them one by one, waiting up to {@link WsTestClient#DEFAULT_TIMEOUT} for a send
 * made on another thread. Subclasses may override {@link #sendMessage} to fail or delay
 * writes, and call the super method to record.
 *
 * @since 0.1.0
 */
public class RecordingWebSocketSession implements WebSocketSession {

	private static final AtomicInteger ids = new AtomicInteger();

	private final String id;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final List<WebSocketMessage<?>> sent = new CopyOnWriteArrayList<>();

	private final BlockingQueue<WebSocketMessage<?>> unread = new LinkedBlockingQueue<>();

	private final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

	private volatile boolean open = true;

	/** Creates a session with a generated unique id. */
	public RecordingWebSocketSession() {
		this("session-" + ids.incrementAndGet());
	}

	/**
	 * Creates a session.
	 * @param id its id
	 */
	public RecordingWebSocketSession(String id) {
		this.id = id;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public @Nullable URI getUri() {
		return null;
	}

	@Override
	public HttpHeaders getHandshakeHeaders() {
		return new HttpHeaders();
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.attributes;
	}

	@Override
	public @Nullable Principal getPrincipal() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress getLocalAddress() {
		return null;
	}

	@Override
	public @Nullable InetSocketAddress getRemoteAddress() {
		return null;
	}

	@Override
	public @Nullable String getAcceptedProtocol() {
		return null;
	}

	@Override
	public void setTextMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getTextMessageSizeLimit() {
		return 0;
	}

	@Override
	public void setBinaryMessageSizeLimit(int messageSizeLimit) {
	}

	@Override
	public int getBinaryMessageSizeLimit() {
		return 0;
	}

	@Override
	public List<WebSocketExtension> getExtensions() {
		return List.of();
	}

	/** Records the message. */
	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		this.sent.add(message);
		this.unread.add(message);
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Sets what {@link #isOpen()} reports without recording a close, for a peer that
	 * vanished without telling anyone.
	 * @param open whether the session reports itself open
	 */
	protected void setOpen(boolean open) {
		this.open = open;
	}

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	@Override
	public void close(CloseStatus status) {
		this.closes.add(status);
		this.open = false;
	}

	/**
	 * Returns every message sent so far, in order.
	 * @return the messages
	 */
	public List<WebSocketMessage<?>> sentMessages() {
		return List.copyOf(this.sent);
	}

	/**
	 * Returns the payloads of the text messages sent so far, in order.
	 * @return the texts
	 */
	public List<String> sentTexts() {
		List<String> texts = new ArrayList<>();
		for (WebSocketMessage<?> message : this.sent) {
			if (message instanceof TextMessage text) {
				texts.add(text.getPayload());
			}
		}
		return texts;
	}

	/**
	 * Returns the statuses this session was closed with, in order.
	 * @return the statuses
	 */
	public List<CloseStatus> closeStatuses() {
		return List.copyOf(this.closes);
	}

	/**
	 * Takes the next message not yet taken, waiting a bounded time for it.
	 * @return the message
	 */
	public WebSocketMessage<?> nextMessage() {
		try {
			WebSocketMessage<?> message = this.unread.poll(WsTestClient.DEFAULT_TIMEOUT.toNanos(),
					TimeUnit.NANOSECONDS);
			if (message == null) {
				throw new AssertionError(
						"No message sent to session " + this.id + " within " + WsTestClient.DEFAULT_TIMEOUT);
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for a message", ex);
		}
	}

	/**
	 * Takes the next message, which must be text.
	 * @return its payload
	 */
	public String nextText() {
		return next(TextMessage.class).getPayload();
	}

	/**
	 * Takes the next message, which must be binary.
	 * @return the message
	 */
	public BinaryMessage nextBinary() {
		return next(BinaryMessage.class);
	}

	private <T extends WebSocketMessage<?>> T next(Class<T> type) {
		WebSocketMessage<?> message = nextMessage();
		if (!type.isInstance(message)) {
			throw new AssertionError(
					"Expected a " + type.getSimpleName() + " sent to session " + this.id + " but was " + message);
		}
		return type.cast(message);
	}

}
