package dev.wsinfra.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.wsinfra.server.ConnectionManagerSettings;

/**
 * The notices a room's members get when a user joins or leaves it, the seed's shape:
 * {@code {"type":"user_joined"|"user_left","user_id","room"}}; see
 * {@link ConnectionManagerSettings#roomNotices()}.
 */
public final class RoomNotices {

	private RoomNotices() {
	}

	public static Map<String, Object> joined(String userId, String room) {
		return notice("user_joined", userId, room);
	}

	public static Map<String, Object> left(String userId, String room) {
		return notice("user_left", userId, room);
	}

	private static Map<String, Object> notice(String type, String userId, String room) {
		Map<String, Object> notice = new LinkedHashMap<>();
		notice.put("type", type);
		notice.put("user_id", userId);
		notice.put("room", room);
		return notice;
	}

}
