package dev.wsinfra.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Tracks the server's WebSocket connections by user and room, and delivers messages to
 * them.
 * <p>
 * <b>Messages.</b> A {@code String} is sent as a text frame; {@code byte[]} and
 * {@code ByteBuffer} as a binary frame (do not modify them after the call); Spring's
 * {@code TextMessage}, {@code BinaryMessage} and {@code PingMessage} and ws-infra's
 * {@code WebSocketMessage} as what they are; any other object as JSON text. A message for
 * many recipients is encoded once.
 * <p>
 * <b>Delivery.</b> Send methods never block on a peer: each connection has a bounded
 * outbound queue, drained in order by the library. A connection whose peer falls behind
 * beyond the queue limits is handled by the {@link SlowConsumerPolicy}. One exception: a
 * reply sent with {@link #send(WebSocketSession, Object)} on the thread that is
 * delivering a message of that same session to a ws-infra endpoint may be written on that
 * thread before the call returns, so that it leaves before the container reads the
 * session's next frame; the call waits for that write at most a tenth of the settings'
 * write stall threshold (50 ms by default), after which the reply is left to the
 * connection's queue. A connection found closed when a message is sent to it is removed,
 * and the disconnect listeners are told once. Once a session is registered, send to it
 * only through the manager: a direct {@code sendMessage} would race with the queue.
 * <p>
 * <b>Users and rooms.</b> A user is connected while they have at least one connection and
 * stays in their rooms until their last connection goes; a room exists while it has
 * members.
 * <p>
 * <b>Threads.</b> Every method is safe to call from any thread, including from listeners.
 *
 * @since 0.1.0
 */
public interface ConnectionManager {

	/**
	 * Registers a connection for a user, without metadata.
	 * @param userId the user
	 * @param session the open session
	 * @return the connection id
	 * @see #connect(String, WebSocketSession, Map)
	 */
	default String connect(String userId, WebSocketSession session) {
		return connect(userId, session, Map.of());
	}

	/**
	 * Registers a connection for a user and tells the connect listeners. Registering a
	 * session that is already registered returns its existing id.
	 * @param userId the user
	 * @param session the open session
	 * @param metadata anything to keep with the connection, returned by
	 * {@link #getUserConnections}
	 * @return the connection id
	 */
	String connect(String userId, WebSocketSession session, Map<String, Object> metadata);

	/**
	 * Removes one connection, closing its session normally (1000) after the messages
	 * already queued for it, if it is still open. Does nothing when the session is not
	 * registered.
	 * @param userId the user
	 * @param session the session
	 */
	default void disconnect(String userId, WebSocketSession session) {
		disconnect(userId, session, CloseStatuses.NORMAL);
	}

	/**
	 * Removes one connection, closing its session with the given status after the
	 * messages already queued for it, if it is still open. Call it from
	 * {@code afterConnectionClosed} with the status the peer closed with. Does nothing
	 * when the session is not registered.
	 * @param userId the user
	 * @param session the session
	 * @param status the close status
	 */
	void disconnect(String userId, WebSocketSession session, CloseStatus status);

	/**
	 * Removes every connection of a user, closing them normally (1000). A distributed
	 * manager closes them on every instance.
	 * @param userId the user
	 */
	default void disconnect(String userId) {
		disconnect(userId, CloseStatuses.NORMAL);
	}

	/**
	 * Removes every connection of a user, closing them with the given status after the
	 * messages already queued for them. A distributed manager closes them on every
	 * instance.
	 * @param userId the user
	 * @param status the close status
	 */
	void disconnect(String userId, CloseStatus status);

	/**
	 * Sends a message to one registered connection.
	 * @param session the session
	 * @param message the message
	 * @return {@code true} if the message was queued, {@code false} if the session is not
	 * registered or no longer open
	 */
	boolean send(WebSocketSession session, Object message);

	/**
	 * Sends a message to every connection of a user.
	 * <p>
	 * Like every send, it returns the number of connections of this instance the message
	 * was queued to: 0 means that nobody here got it (the seed's idiom: fall back to a
	 * push notification). A {@link DistributedConnectionManager} also hands the message
	 * to the other instances and counts only its own connections: ask
	 * {@link DistributedConnectionManager#isUserOnline(String)} whether the user is
	 * connected anywhere.
	 * @param userId the user
	 * @param message the message
	 * @return the number of this instance's connections the message was queued to
	 */
	int sendToUser(String userId, Object message);

	/**
	 * Sends a message to every connection.
	 * @param message the message
	 * @return the number of this instance's connections the message was queued to
	 */
	default int broadcast(Object message) {
		return broadcast(message, null);
	}

	/**
	 * Sends a message to every connection except those of one user.
	 * @param message the message
	 * @param excludeUser the user to skip, or {@code null} to skip nobody
	 * @return the number of this instance's connections the message was queued to
	 */
	int broadcast(Object message, @Nullable String excludeUser);

	/**
	 * Waits until the messages queued so far have been written to every connection that
	 * keeps up, so that a producer can pace itself by the network instead of filling
	 * queues. Connections whose peer stopped reading are not waited for. The default
	 * implementation returns at once.
	 * @param timeout the longest wait
	 * @return {@code false} if the timeout passed first
	 */
	default boolean flush(Duration timeout) {
		return true;
	}

	/**
	 * Adds a connected user to a room, creating it if needed, when the settings'
	 * {@link RoomAuthorizer} lets the user in.
	 * @param userId the user
	 * @param room the room
	 * @return {@code true} if the user joined, {@code false} if they were already a
	 * member or are not connected
	 * @throws RoomAccessDeniedException if the room authorizer refuses the user
	 */
	boolean joinRoom(String userId, String room);

	/**
	 * Removes a user from a room; the room disappears with its last member.
	 * @param userId the user
	 * @param room the room
	 * @return {@code true} if the user was a member
	 */
	boolean leaveRoom(String userId, String room);

	/**
	 * Sends a message to every connection of every member of a room.
	 * @param room the room
	 * @param message the message
	 * @return the number of this instance's connections the message was queued to
	 */
	default int broadcastToRoom(String room, Object message) {
		return broadcastToRoom(room, message, null);
	}

	/**
	 * Sends a message to every connection of every member of a room except one user.
	 * @param room the room
	 * @param message the message
	 * @param excludeUser the user to skip, or {@code null} to skip nobody
	 * @return the number of this instance's connections the message was queued to
	 */
	int broadcastToRoom(String room, Object message, @Nullable String excludeUser);

	/**
	 * Returns the connections of a user.
	 * @param userId the user
	 * @return snapshots of the user's connections, empty when not connected
	 */
	List<ConnectionInfo> getUserConnections(String userId);

	/**
	 * Returns whether a user has at least one connection.
	 * @param userId the user
	 * @return {@code true} if connected
	 */
	boolean isUserConnected(String userId);

	/**
	 * Returns the members of a room.
	 * @param room the room
	 * @return the user ids, empty when the room does not exist
	 */
	Set<String> getRoomUsers(String room);

	/**
	 * Returns the connected users.
	 * @return the user ids
	 */
	Set<String> activeUsers();

	/**
	 * Returns the number of connections.
	 * @return the connection count
	 */
	int connectionCount();

	/**
	 * Returns the number of rooms with at least one member.
	 * @return the room count
	 */
	int roomCount();

	/**
	 * Adds a listener told after each connection is registered.
	 * @param listener the listener
	 */
	void onConnect(ConnectionListener listener);

	/**
	 * Adds a listener told after each connection is removed, for whatever reason.
	 * @param listener the listener
	 */
	void onDisconnect(ConnectionListener listener);

	/**
	 * Adds a listener told of each message queued on connections of this instance,
	 * whatever sent it; see {@link SendListener} for what is reported.
	 * @param listener the listener
	 */
	void onSend(SendListener listener);

}
