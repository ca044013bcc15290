package dev.wsinfra.autoconfigure.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.wsinfra.WsAuthenticationException;
import dev.wsinfra.autoconfigure.endpoint.security.Credentials;
import dev.wsinfra.autoconfigure.endpoint.security.HandshakeAuthenticator;
import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.internal.LogValues;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.security.WsPrincipal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Decides whether a handshake to one endpoint may proceed: 503 while shutting down, at
 * the instance's connection limit or while the keys that verify JWTs cannot be retrieved,
 * 403 for a disallowed origin, 401 for missing or invalid credentials, 403 for missing
 * scopes. An accepted handshake leaves the principal, the token's expiry and the path
 * variables in the session attributes. Rejections are logged at DEBUG, without
 * credentials.
 */
final class EndpointHandshakeInterceptor implements HandshakeInterceptor {

	static final String EXPIRES_AT_ATTRIBUTE = EndpointHandshakeInterceptor.class.getName() + ".expiresAt";

	private static final Log logger = LogFactory.getLog(EndpointHandshakeInterceptor.class);

	private final WsRoutes.Route route;

	private final HandshakeAuthenticator authenticator;

	private final Credentials.CredentialNames names;

	private final EndpointSessions sessions;

	private final EndpointObserver observer;

	private final CorsConfiguration origins;

	EndpointHandshakeInterceptor(WsRoutes.Route route, List<String> defaultOrigins,
			HandshakeAuthenticator authenticator, Credentials.CredentialNames names, EndpointSessions sessions,
			EndpointObserver observer) {
		this.route = route;
		this.authenticator = authenticator;
		this.names = names;
		this.sessions = sessions;
		this.observer = observer;
		this.origins = new CorsConfiguration();
		List<String> allowed = route.allowedOrigins().isEmpty() ? defaultOrigins : route.allowedOrigins();
		this.origins.setAllowedOriginPatterns(allowed);
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.sessions.isShuttingDown()) {
			return reject(response, HttpStatus.SERVICE_UNAVAILABLE, "shutting_down", "the server is shutting down");
		}
		if (!originAllowed(request)) {
			return reject(response, HttpStatus.FORBIDDEN, "origin",
					"origin " + request.getHeaders().getOrigin() + " is not allowed");
		}
		if (!this.sessions.hasCapacity()) {
			return reject(response, HttpStatus.SERVICE_UNAVAILABLE, "instance_capacity",
					"the instance is at its connection limit (ws.max-connections-per-instance)");
		}
		HandshakeAuthenticator.Authenticated authenticated;
		try {
			authenticated = authenticate(request);
		}
		catch (WsAuthenticationException ex) {
			if (ex.httpStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
				return reject(response, HttpStatus.SERVICE_UNAVAILABLE, "auth_unavailable", ex.getMessage());
			}
			if (ex.httpStatus() == HttpStatus.FORBIDDEN.value()) {
				response.getHeaders()
					.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\""
							+ String.join(" ", this.route.scopes()) + "\"");
				return reject(response, HttpStatus.FORBIDDEN, "forbidden", ex.getMessage());
			}
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			return reject(response, HttpStatus.UNAUTHORIZED, "unauthorized", ex.getMessage());
		}
		if (authenticated != null) {
			attributes.put(WsPrincipal.SESSION_ATTRIBUTE, authenticated.principal());
			if (authenticated.expiresAt() != null) {
				attributes.put(EXPIRES_AT_ATTRIBUTE, authenticated.expiresAt());
			}
		}
		exposePathVariables(request, attributes);
		return true;
	}

	/**
	 * Applies the route's policy.
	 * @return the authentication, or {@code null} for an anonymous session
	 * @throws WsAuthenticationException with 401, 403 or 503
	 */
	private HandshakeAuthenticator.@Nullable Authenticated authenticate(ServerHttpRequest request) {
		WsAuth auth = this.route.auth();
		if (auth == WsAuth.PUBLIC) {
			// Credentials are not even read: a malformed one must not refuse a
			// public endpoint.
			return null;
		}
		Credentials credentials = Credentials.of(request, this.names);
		String token = credentials.token();
		if (token != null) {
			HandshakeAuthenticator.Authenticated authenticated = this.authenticator.authenticateToken(token);
			checkScopes(this.route, authenticated.principal());
			return authenticated;
		}
		String apiKey = credentials.apiKey();
		if (apiKey != null) {
			if (!auth.acceptsApiKeys()) {
				// Rather than an anonymous session for a client that believes
				// it authenticated.
				throw new WsAuthenticationException("API keys are not accepted on " + auth + " endpoints");
			}
			HandshakeAuthenticator.Authenticated authenticated = this.authenticator.authenticateApiKey(apiKey);
			checkScopes(this.route, authenticated.principal());
			return authenticated;
		}
		if (auth == WsAuth.OPTIONAL) {
			return null;
		}
		throw new WsAuthenticationException(auth.acceptsApiKeys() ? "no token or API key" : "no token");
	}

	/**
	 * Checks that a principal has the scopes of a route, whatever its policy: a route's
	 * scopes bind every principal it accepts, from a JWT or an API key.
	 * @throws WsAuthenticationException with 403 when it has not
	 */
	static void checkScopes(WsRoutes.Route route, WsPrincipal principal) {
		Set<String> required = route.scopes();
		if (required.isEmpty()) {
			return;
		}
		boolean granted = route.anyScope() ? required.stream().anyMatch(principal::hasScope)
				: principal.scopes().containsAll(required);
		if (!granted) {
			throw new WsAuthenticationException("user " + principal.id() + " lacks "
					+ (route.anyScope() ? "any of the scopes " : "the scopes ") + required,
					HttpStatus.FORBIDDEN.value());
		}
	}

	private boolean originAllowed(ServerHttpRequest request) {
		if (WebUtils.isSameOrigin(request)) {
			return true;
		}
		return this.origins.checkOrigin(request.getHeaders().getOrigin()) != null;
	}

	private static void exposePathVariables(ServerHttpRequest request, Map<String, Object> attributes) {
		if (request instanceof ServletServerHttpRequest servletRequest && servletRequest.getServletRequest()
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
			variables.forEach((name, value) -> attributes.put(String.valueOf(name), value));
		}
	}

	private boolean reject(ServerHttpResponse response, HttpStatus status, String reason, @Nullable String detail) {
		response.setStatusCode(status);
		this.observer.handshakeRejected(reason);
		if (logger.isDebugEnabled()) {
			// The detail may hold what the client sent: its origin, its token's subject.
			logger.debug("Rejected WebSocket handshake on " + this.route.path() + " with " + status.value() + ": "
					+ LogValues.escape(detail));
		}
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
