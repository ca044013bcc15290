package dev.wsinfra.client;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring side of the client tests: echoes every message back as it arrives, part by
 * part (so messages of any size pass through Tomcat's small buffers), records what it
 * saw, and runs commands sent as text: {@code cmd:close:<code>:<reason>} closes,
 * {@code cmd:large:<bytes>} sends a text message of that size.
 */
final class ServerHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

	private static final long WAIT_SECONDS = 20;

	private final List<String> subprotocols;

	private final BlockingQueue<WebSocketSession> sessions = new LinkedBlockingQueue<>();

	private final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();

	private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private final ConcurrentHashMap<String, StringBuilder> partialTexts = new ConcurrentHashMap<>();

	ServerHandler(String... subprotocols) {
		this.subprotocols = List.of(subprotocols);
	}

	@Override
	public List<String> getSubProtocols() {
		return this.subprotocols;
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.sessions.add(session);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		StringBuilder whole = this.partialTexts.computeIfAbsent(session.getId(), (id) -> new StringBuilder());
		boolean first = whole.length() == 0;
		whole.append(message.getPayload());
		if (message.isLast()) {
			String text = whole.toString();
			whole.setLength(0);
			this.texts.add((text.length() > 1000) ? "<" + text.length() + " chars>" : text);
			if (first && text.startsWith("cmd:")) {
				command(session, text.split(":", 4));
				return;
			}
		}
		send(session, new TextMessage(message.getPayload(), message.isLast()));
	}

	private void command(WebSocketSession session, String[] command) throws IOException {
		switch (command[1]) {
			case "close" -> session.close(new CloseStatus(Integer.parseInt(command[2]), command[3]));
			case "large" -> send(session, new TextMessage("x".repeat(Integer.parseInt(command[2]))));
			default -> throw new IllegalArgumentException(command[1]);
		}
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		send(session, new BinaryMessage(message.getPayload(), message.isLast()));
	}

	private static void send(WebSocketSession session, WebSocketMessage<?> message) {
		try {
			session.sendMessage(message);
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away mid-message; what the tests check is the close status
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.closes.add(status);
	}

	WebSocketSession awaitSession() throws InterruptedException {
		WebSocketSession session = this.sessions.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(session).as("a session within %s s", WAIT_SECONDS).isNotNull();
		return session;
	}

	HttpHeaders awaitHandshakeHeaders() throws InterruptedException {
		return awaitSession().getHandshakeHeaders();
	}

	CloseStatus awaitClose() throws InterruptedException {
		CloseStatus status = this.closes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(status).as("a close within %s s", WAIT_SECONDS).isNotNull();
		return status;
	}

	String awaitText() throws InterruptedException {
		String text = this.texts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
		assertThat(text).as("a text message within %s s", WAIT_SECONDS).isNotNull();
		return text;
	}

	BlockingQueue<String> texts() {
		return this.texts;
	}

}
