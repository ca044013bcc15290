package dev.wsinfra.integration;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRequest;
import dev.wsinfra.endpoint.WsRequestException;
import dev.wsinfra.endpoint.WsRequestHandler;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * An endpoint that answers requests by method: {@code echo} returns its data,
 * {@code fail} throws a request exception, {@code crash} any other exception,
 * {@code later} completes a stage after {@code data.ms} milliseconds, {@code never}
 * returns a stage that never completes, {@code elsewhere} leaves the reply to the test,
 * {@code join} joins the room {@code data.room}. Plain text is echoed with a prefix.
 */
@WsEndpoint(path = "/requests", auth = WsAuth.USER)
class RequestsHandler extends TextWebSocketHandler implements WsRequestHandler {

	private final ConnectionManager manager;

	RequestsHandler(ConnectionManager manager) {
		this.manager = manager;
	}

	@Override
	public @Nullable Object handleRequest(WsRequest request) throws Exception {
		return switch (request.method()) {
			case "echo" -> request.data();
			case "fail" -> throw new WsRequestException("not_found", "No such thing");
			case "crash" -> throw new IllegalStateException("handler failure on purpose, secret detail");
			case "later" -> CompletableFuture.supplyAsync(() -> Map.of("late", true),
					CompletableFuture.delayedExecutor(request.data().path("ms").asLong(), TimeUnit.MILLISECONDS));
			case "never" -> new CompletableFuture<>();
			case "elsewhere" -> WsRequestHandler.NO_REPLY;
			case "join" -> this.manager.joinRoom(String.valueOf(request.userId()), request.data(Room.class).room());
			case "reply" -> request.reply(Duration.ofSeconds(1).toString());
			default -> throw new WsRequestException("unknown_method", "Unknown method " + request.method());
		};
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.manager.send(session, "handler got " + message.getPayload());
	}

	/** The data of a join request. */
	record Room(String room) {

	}

}
