package dev.wsinfra.samples.echo;

import java.nio.ByteBuffer;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The public echo endpoint, {@code /ws/echo}: every text or binary message comes back as
 * it was sent, to the connection that sent it. Anyone may connect; the library registers
 * each session with the manager as an anonymous user of its own.
 */
@Component
@WsEndpoint("/ws/echo")
class EchoHandler extends AbstractWebSocketHandler {

	private final ConnectionManager manager;

	EchoHandler(ConnectionManager manager) {
		this.manager = manager;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.manager.send(session, message.getPayload());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		ByteBuffer payload = message.getPayload();
		byte[] copy = new byte[payload.remaining()];
		payload.get(copy);
		this.manager.send(session, copy);
	}

}
