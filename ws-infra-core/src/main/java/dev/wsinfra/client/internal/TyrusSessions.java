package dev.wsinfra.client.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.wsinfra.WebSocketMessage;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

/**
 * How the client uses a Tyrus {@link Session}: whole messages in, asynchronous writes
 * out.
 */
public final class TyrusSessions {

	private TyrusSessions() {
	}

	/**
	 * Registers the handlers of a newly opened session. They run on the transport's
	 * reading thread; Tyrus has assembled fragmented messages, which the frame guard kept
	 * within the size limit.
	 * @param session the session
	 * @param messages receives text and binary messages
	 * @param pongs receives the application data of pongs
	 */
	public static void receive(Session session, Consumer<WebSocketMessage> messages, Consumer<ByteBuffer> pongs) {
		session.addMessageHandler(String.class,
				(MessageHandler.Whole<String>) (text) -> messages.accept(WebSocketMessage.text(text)));
		session.addMessageHandler(ByteBuffer.class,
				(MessageHandler.Whole<ByteBuffer>) (bytes) -> messages.accept(WebSocketMessage.binary(bytes)));
		session.addMessageHandler(PongMessage.class,
				(MessageHandler.Whole<PongMessage>) (pong) -> pongs.accept(pong.getApplicationData()));
	}

	/**
	 * Starts writing a message without waiting for it.
	 * @param session the session
	 * @param message a {@link String} or a {@link ByteBuffer}
	 * @param done told once when the write completed, with the failure if it failed
	 */
	public static void write(Session session, Object message, Consumer<@Nullable Throwable> done) {
		RemoteEndpoint.Async remote = session.getAsyncRemote();
		SendHandler handler = (result) -> done.accept(result.isOK() ? null : result.getException());
		if (message instanceof String text) {
			remote.sendText(text, handler);
		}
		else {
			remote.sendBinary((ByteBuffer) message, handler);
		}
	}

	/**
	 * Returns the extensions the server accepted.
	 * @param session the session, if open
	 * @return their names, empty when none
	 */
	public static List<String> extensions(@Nullable Session session) {
		return (session != null) ? session.getNegotiatedExtensions().stream().map(Extension::getName).toList()
				: List.of();
	}

	/**
	 * Returns the subprotocol the server chose.
	 * @param session the session, if open
	 * @return the subprotocol, empty when none
	 */
	public static Optional<String> subprotocol(@Nullable Session session) {
		String chosen = (session != null) ? session.getNegotiatedSubprotocol() : null;
		return (chosen == null || chosen.isEmpty()) ? Optional.empty() : Optional.of(chosen);
	}

}
