package dev.wsinfra.server;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * A connection registered with or removed from a {@link ConnectionManager}.
 *
 * @param userId the user the connection belongs to
 * @param connectionId the connection id
 * @param session the session; after a disconnect it may already be closed
 * @param metadata what was passed to {@code connect}, unmodifiable
 * @param closeStatus for a disconnect, the status the connection closed with: the one
 * passed to {@code disconnect}, 1013 for a slow consumer, 1006 for a peer found gone on a
 * send; {@code null} for a connect
 * @since 0.1.0
 */
public record ConnectionEvent(String userId, String connectionId, WebSocketSession session,
		Map<String, Object> metadata, @Nullable CloseStatus closeStatus) {

}
