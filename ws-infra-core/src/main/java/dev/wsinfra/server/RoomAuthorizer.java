package dev.wsinfra.server;

/**
 * Decides whether a user may join a room: the hook by which an application keeps rooms
 * that carry protected data out of reach of users who must not see them, anonymous ones
 * above all.
 * <p>
 * A {@link ConnectionManager} asks its authorizer on every
 * {@link ConnectionManager#joinRoom} and refuses the join with a
 * {@link RoomAccessDeniedException} when it answers {@code false}; a user that never
 * joined a room receives none of its messages. The Redis-backed manager asks on the
 * instance where {@code joinRoom} is called. Called on the caller's thread, possibly from
 * many threads at once: an implementation must be thread-safe and should answer quickly
 * (a join waits for it).
 *
 * @since 0.1.0
 * @see ConnectionManagerSettings.Builder#roomAuthorizer(RoomAuthorizer)
 */
@FunctionalInterface
public interface RoomAuthorizer {

	/** Lets every user join every room: the core default. */
	RoomAuthorizer ALLOW_ALL = (userId, room) -> true;

	/**
	 * Returns whether the user may join the room.
	 * @param userId the user, as registered with the manager
	 * @param room the room
	 * @return {@code true} to let the user join
	 */
	boolean mayJoin(String userId, String room);

}
