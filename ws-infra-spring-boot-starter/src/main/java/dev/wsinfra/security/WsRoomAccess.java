package dev.wsinfra.security;

import java.util.List;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.server.RoomAuthorizer;

/**
 * Room authorizers for services whose endpoints admit anonymous sessions.
 * <p>
 * The starter's default, {@link #defaults()}, lets an anonymous session (a user whose id
 * starts with {@link WsEndpoint#ANONYMOUS_USER_PREFIX}) join only rooms named
 * {@code public:…}, and every authenticated user join any room, so that a public endpoint
 * cannot be used to read a room that protected endpoints fill, whatever room name its
 * client asks for. Define a {@link RoomAuthorizer} bean to decide otherwise, for example
 * to check that a user may see a document before joining its room.
 *
 * @since 0.1.0
 */
public final class WsRoomAccess {

	/** Start of the names of rooms an anonymous session may join by default. */
	public static final String PUBLIC_ROOM_PREFIX = "public:";

	private WsRoomAccess() {
	}

	/**
	 * Returns the starter's default: anonymous sessions only in {@code public:} rooms.
	 * @return the authorizer
	 */
	public static RoomAuthorizer defaults() {
		return anonymousOnlyIn(PUBLIC_ROOM_PREFIX);
	}

	/**
	 * Returns an authorizer that lets anonymous sessions join only the rooms whose names
	 * start with one of the prefixes, and authenticated users join any room.
	 * @param roomPrefixes the starts of the room names open to anonymous sessions
	 * @return the authorizer
	 */
	public static RoomAuthorizer anonymousOnlyIn(String... roomPrefixes) {
		List<String> prefixes = List.of(roomPrefixes);
		return new RoomAuthorizer() {

			@Override
			public boolean mayJoin(String userId, String room) {
				return !isAnonymous(userId) || prefixes.stream().anyMatch(room::startsWith);
			}

			@Override
			public String toString() {
				return "anonymous sessions only in rooms starting with " + prefixes;
			}

		};
	}

	/**
	 * Returns whether a user id is that of an anonymous session of a managed endpoint.
	 * @param userId the user id the session was registered under
	 * @return {@code true} for an anonymous session
	 */
	public static boolean isAnonymous(String userId) {
		return userId.startsWith(WsEndpoint.ANONYMOUS_USER_PREFIX);
	}

}
