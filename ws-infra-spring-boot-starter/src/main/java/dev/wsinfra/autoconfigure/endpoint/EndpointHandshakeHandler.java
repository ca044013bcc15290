package dev.wsinfra.autoconfigure.endpoint;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.wsinfra.security.WsPrincipal;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Completes accepted handshakes: the session's principal is the {@link WsPrincipal} the
 * interceptor authenticated, and a client that offered the {@code bearer} subprotocol gets it
 * back (unless the handler speaks one of the other offered subprotocols), because browsers
 * drop a connection whose offered subprotocols were all ignored. The token itself is never
 * echoed.
 */
final class EndpointHandshakeHandler extends DefaultHandshakeHandler {

	@Override
	protected @Nullable String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
		String selected = super.selectProtocol(requestedProtocols, webSocketHandler);
		if (selected == null && requestedProtocols.contains(Credentials.BEARER_SUBPROTOCOL)) {
			return Credentials.BEARER_SUBPROTOCOL;
		}
		return selected;
	}

	@Override
	protected @Nullable Principal determineUser(ServerHttpRequest request, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (attributes.get(WsPrincipal.SESSION_ATTRIBUTE) instanceof WsPrincipal principal) {
			return principal;
		}
		return super.determineUser(request, wsHandler, attributes);
	}

}
