package dev.wsinfra.autoconfigure.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.wsinfra.endpoint.WsRequestException;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;

/**
 * The library's request {@code ws.presence}: {@code "data":{"room":"<room>"}} is answered
 * with {@code {"room":"<room>","users":[...]}}, the room's members, across the cluster
 * with a distributed manager, sorted. Only a member of the room may read it, and only for
 * the rooms {@code ws.requests.presence-rooms} names; any other room is answered with the
 * error {@code forbidden}, whether it exists or not.
 */
final class PresenceRequests {

	static final String METHOD = "ws.presence";

	private static final int MAX_ROOM_LENGTH = 256;

	private final ConnectionManager manager;

	private final WsRequestProperties properties;

	PresenceRequests(ConnectionManager manager, WsRequestProperties properties) {
		this.manager = manager;
		this.properties = properties;
	}

	Map<String, Object> answer(EndpointRequest request) {
		String room = request.data().path("room").stringValue(null);
		if (room == null || room.isEmpty() || room.length() > MAX_ROOM_LENGTH) {
			throw new WsRequestException("invalid_request",
					"ws.presence needs \"data\": {\"room\": <1 to " + MAX_ROOM_LENGTH + " characters>}");
		}
		String user = request.userId();
		if (user == null || !this.properties.presenceReadable(room)) {
			throw forbidden();
		}
		Set<String> members;
		try {
			members = (this.manager instanceof DistributedConnectionManager distributed)
					? distributed.getRoomUsersGlobal(room) : this.manager.getRoomUsers(room);
		}
		catch (RuntimeException ex) {
			throw new WsRequestException("unavailable", "The room's members cannot be read now; try again later");
		}
		if (!members.contains(user)) {
			throw forbidden();
		}
		Map<String, Object> reply = new LinkedHashMap<>();
		reply.put("room", room);
		reply.put("users", new TreeSet<>(members));
		return reply;
	}

	private static WsRequestException forbidden() {
		return new WsRequestException("forbidden", "Only members may read this room's presence");
	}

}
