package dev.wsinfra.endpoint;

import java.util.Map;

import org.springframework.web.socket.WebSocketSession;

/**
 * Implemented by the {@code WebSocketHandler} of a managed endpoint, declared with
 * {@link WsEndpoint @WsEndpoint} or {@link WsRoutes}, to contribute the metadata that
 * each of its sessions is registered with in the {@code ConnectionManager}, typically its
 * path variables after checking them. The metadata is what {@code getUserConnections}
 * and, with the Redis module, the user's presence show for the connection.
 * <p>
 * The library calls it once per session, on the container's thread, after the handshake
 * and before it registers the session: the session's principal, path variables and
 * {@link WsEndpoint#USER_ID_ATTRIBUTE} are set, it is not registered yet, and the handler
 * has not seen it. The library adds the {@code endpoint} entry, the route's path pattern,
 * which a contributed entry of that name does not replace. An
 * {@link IllegalArgumentException} refuses the connection: it is closed with 1008 (policy
 * violation) before it is registered and before the handler sees it, and the exception's
 * message is logged at INFO, never sent. Any other exception closes it with 1011.
 * Unmanaged endpoints register their sessions themselves and are not asked.
 *
 * @since 0.1.0
 * @see WsEndpoint#managed()
 */
@FunctionalInterface
public interface WsConnectionMetadata {

	/**
	 * Returns the metadata to register a session with, besides the {@code endpoint}
	 * entry.
	 * @param session the session, with its attributes, not registered yet
	 * @return the metadata, empty for none
	 * @throws IllegalArgumentException to refuse the connection with 1008
	 */
	Map<String, Object> metadata(WebSocketSession session);

}
