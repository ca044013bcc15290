package dev.wsinfra.samples.notifications;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The seed's notifications endpoint, {@code /ws/notifications} (protected): the
 * connection stays open to receive {@code {"type": "notification", "data": ...}} pushed
 * by {@link NotifyController}. The client sends nothing but, if it wants, the seed's
 * heartbeat {@code {"type": "ping"}}, answered with {@code {"type": "pong"}}.
 */
@Component
@WsEndpoint(path = NotificationsHandler.PATH, auth = WsAuth.PROTECTED)
class NotificationsHandler extends JsonEndpointHandler {

	static final String PATH = "/ws/notifications";

	NotificationsHandler(ConnectionManager manager, JsonMapper jsonMapper) {
		super(manager, jsonMapper, PATH);
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		String type = JsonMessages.type(message);
		throw JsonMessages.unknownType(type, "only \"ping\"");
	}

}
