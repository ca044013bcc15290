package dev.wsinfra.security;

import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * The authenticated user of a WebSocket session: the identity from the JWT (or from the
 * API key) the handshake carried. It is the session's principal, so {@code getName()} is
 * the user id.
 *
 * @param id the user id (by default the {@code sub} claim)
 * @param email the email address (by default the {@code email} claim), if any
 * @param scopes the scopes (by default from the {@code scope} or {@code scp} claim)
 * @param claims every claim of the token, or what the API key authenticator provided
 * @since 0.1.0
 */
public record WsPrincipal(String id, @Nullable String email, Set<String> scopes,
		Map<String, Object> claims) implements Principal {

	/** Name of the session attribute that also holds the principal. */
	public static final String SESSION_ATTRIBUTE = WsPrincipal.class.getName();

	public WsPrincipal {
		Objects.requireNonNull(id, "id must not be null");
		scopes = Set.copyOf(scopes);
		claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
	}

	/**
	 * Returns the principal of a session whose endpoint requires authentication.
	 * @param session the session
	 * @return the principal
	 * @throws IllegalStateException when the session is anonymous
	 */
	public static WsPrincipal of(WebSocketSession session) {
		return find(session).orElseThrow(() -> new IllegalStateException("WebSocket session " + session.getId()
				+ " is anonymous: its endpoint is PUBLIC, or OPTIONAL and no token was sent"));
	}

	/**
	 * Returns the principal of a session, if it has one.
	 * @param session the session
	 * @return the principal, or empty for an anonymous session
	 */
	public static Optional<WsPrincipal> find(WebSocketSession session) {
		if (session.getPrincipal() instanceof WsPrincipal principal) {
			return Optional.of(principal);
		}
		return (session.getAttributes().get(SESSION_ATTRIBUTE) instanceof WsPrincipal principal)
				? Optional.of(principal) : Optional.empty();
	}

	/**
	 * Returns whether the principal has a scope.
	 * @param scope the scope
	 * @return {@code true} when it has
	 */
	public boolean hasScope(String scope) {
		return this.scopes.contains(scope);
	}

	/**
	 * Returns the user id.
	 * @return the id
	 */
	@Override
	public String getName() {
		return this.id;
	}

	@Override
	public String toString() {
		return "WsPrincipal[id=" + this.id + ", scopes=" + this.scopes + "]";
	}

}
