package dev.wsinfra.samples.dashboard;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The seed's live dashboard, {@code /ws/dashboard/live} (protected): a new connection
 * gets an update at once, then every update {@link DashboardPublisher} sends to the room
 * {@code dashboard}: {@code {"type": "dashboard_update", "data": <stats>}}. The client
 * may send {@code {"type": "ping"}}, answered with {@code {"type": "pong"}}.
 * <p>
 * The seed broadcasts the updates to every connection; in this app, where one manager
 * serves every example, that would reach chat and echo clients too, so the dashboard's
 * connections are a room.
 */
@Component
@WsEndpoint(path = DashboardHandler.PATH, auth = WsAuth.PROTECTED)
class DashboardHandler extends JsonEndpointHandler {

	static final String PATH = "/ws/dashboard/live";

	static final String ROOM = "dashboard";

	private final String instanceId;

	DashboardHandler(ConnectionManager manager, JsonMapper jsonMapper,
			@Value("${ws.instance-id:local}") String instanceId) {
		super(manager, jsonMapper, PATH);
		this.instanceId = instanceId;
	}

	@Override
	protected void opened(WebSocketSession session, String user) {
		this.manager.joinRoom(user, ROOM);
		this.manager.send(session, DashboardUpdate.of(Stats.of(this.manager, this.instanceId)));
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		String type = JsonMessages.type(message);
		throw JsonMessages.unknownType(type, "only \"ping\"");
	}

	@Override
	protected void closed(WebSocketSession session, String user) {
		if (!hasOtherConnection(user, session, (metadata) -> true)) {
			this.manager.leaveRoom(user, ROOM);
		}
	}

}
