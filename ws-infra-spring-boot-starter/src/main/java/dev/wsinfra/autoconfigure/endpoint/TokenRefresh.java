package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.wsinfra.WsAuthenticationException;
import dev.wsinfra.autoconfigure.endpoint.security.HandshakeAuthenticator;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.internal.LogValues;
import dev.wsinfra.security.WsPrincipal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.socket.TextMessage;

/**
 * The refresh message that keeps a JWT-authenticated connection open past its token's
 * expiry: {@code {"type":"auth.refresh","token":"<fresh jwt>"}}. A fresh valid token for
 * the same user (with the endpoint's scopes) moves the expiry and is answered with
 * {@code {"type":"auth.refreshed","expiresAt":"<instant>"}}; any other token with
 * {@code {"type":"error","error":"invalid_token","message":…}} (or
 * {@code "temporarily_unavailable"} while the keys that verify tokens cannot be
 * retrieved), and the connection still closes with 4001 at the old expiry. The handler
 * never sees refresh messages.
 */
final class TokenRefresh {

	static final String TYPE = "auth.refresh";

	/**
	 * How often a session's refused refreshes are logged at INFO; the others go to DEBUG,
	 * since a client can send as many as it likes.
	 */
	static final Duration REFUSALS_AT_INFO_EVERY = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(TokenRefresh.class);

	// A refresh message is a token and a type; anything longer is the application's.
	private static final int MAX_LENGTH = 16 * 1024;

	private final HandshakeAuthenticator authenticator;

	private final EndpointSessions sessions;

	private final JsonMapper jsonMapper;

	private final WsRoutes.Route route;

	TokenRefresh(WsRoutes.Route route, HandshakeAuthenticator authenticator, EndpointSessions sessions,
			JsonMapper jsonMapper) {
		this.route = route;
		this.authenticator = authenticator;
		this.sessions = sessions;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Handles a message if it is a refresh message.
	 * @return whether it was one
	 */
	boolean handles(SessionState state, TextMessage message) {
		String payload = message.getPayload();
		if (payload.length() > MAX_LENGTH || !payload.contains(TYPE)) {
			return false;
		}
		JsonNode node = ClientProtocol.readObject(this.jsonMapper, payload);
		if (node == null || !TYPE.equals(node.path("type").stringValue(null))) {
			return false;
		}
		String token = node.path("token").stringValue(null);
		this.sessions.send(state, refresh(state, token));
		return true;
	}

	private String refresh(SessionState state, String token) {
		Map<String, Object> reply = new LinkedHashMap<>();
		try {
			if (token == null || token.isEmpty()) {
				throw new WsAuthenticationException("no token in the refresh message");
			}
			HandshakeAuthenticator.Authenticated authenticated = this.authenticator.authenticateToken(token);
			WsPrincipal current = state.principal;
			if (current == null || !current.id().equals(authenticated.principal().id())) {
				throw new WsAuthenticationException("the token is for another user");
			}
			EndpointHandshakeInterceptor.checkScopes(this.route, authenticated.principal());
			Instant expiresAt = authenticated.expiresAt();
			this.sessions.expiry().refresh(state, expiresAt);
			reply.put("type", "auth.refreshed");
			reply.put("expiresAt", (expiresAt != null) ? expiresAt.toString() : null);
			if (logger.isDebugEnabled()) {
				logger.debug("Refreshed the token of " + state.describe() + " until " + expiresAt);
			}
		}
		catch (WsAuthenticationException ex) {
			reply.put("type", "error");
			reply.put("error", (ex.httpStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) ? "temporarily_unavailable"
					: "invalid_token");
			reply.put("message", "Token not refreshed: " + ex.getMessage());
			state.refusedRefreshes.info(logger,
					() -> "Refused a token refresh on " + state.describe() + ": " + LogValues.escape(ex.getMessage()));
		}
		return this.jsonMapper.writeValueAsString(reply);
	}

}
