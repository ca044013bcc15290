package dev.wsinfra.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * Implemented by the {@code WebSocketHandler} of an endpoint, declared with
 * {@link WsEndpoint @WsEndpoint} or {@link WsRoutes}, to answer requests: a client sends
 * {@code {"type":"ws.request","id":"<id>","method":"<name>","data":<any>}} and gets
 * exactly one {@code {"type":"ws.reply","id":"<id>",...}} back, a {@link WsReply}. The
 * library recognises requests before the handler sees the message, so
 * {@code handleTextMessage} never gets them.
 * <p>
 * The library calls it on the thread that received the request, one request of a session
 * at a time. What it returns decides the reply:
 * <ul>
 * <li>a value, {@code null} included: a reply whose {@code data} is that value, written
 * as JSON with the application's mapper;</li>
 * <li>a {@link WsReply}: that reply, as it is;</li>
 * <li>a {@link java.util.concurrent.CompletionStage}: the reply once it completes, an
 * error reply if it completes exceptionally, and a {@code timeout} error reply if it has
 * not completed within {@code ws.requests.timeout} (the stage is then cancelled);</li>
 * <li>{@link #NO_REPLY}: the application sends the reply itself, later or from another
 * instance, with {@code manager.send(session, reply)} or
 * {@code manager.sendToUser(userId, reply)}; no timeout applies.</li>
 * </ul>
 * A {@link WsRequestException} becomes an error reply with its code and message; any
 * other exception an {@code internal_error} reply, its details logged at WARN and never
 * sent. A request is never dropped without a reply, and the connection stays open.
 *
 * @since 0.1.0
 * @see WsRequest
 */
@FunctionalInterface
public interface WsRequestHandler {

	/**
	 * What {@link #handleRequest} returns when the application sends the reply itself.
	 */
	Object NO_REPLY = new Object() {

		@Override
		public String toString() {
			return "NO_REPLY";
		}

	};

	/**
	 * Answers one request.
	 * @param request the request
	 * @return the reply's data, a {@link WsReply}, a
	 * {@link java.util.concurrent.CompletionStage} of either, or {@link #NO_REPLY}
	 * @throws WsRequestException to answer with an error of its code
	 * @throws Exception to answer with {@code internal_error}
	 */
	@Nullable Object handleRequest(WsRequest request) throws Exception;

}
