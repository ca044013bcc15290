package dev.wsinfra.endpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.wsinfra.security.WsAuth;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.WebSocketHandler;

/**
 * A group of WebSocket endpoints under one path prefix and one authentication policy, the
 * seed's router factories; declare one or more as beans.
 *
 * <pre class="code">
 * &#64;Bean
 * WsRoutes realtime(EventsHandler events, ChatHandler chat) {
 *     return WsRoutes.protectedRoutes("/realtime")
 *         .route("/events", events)
 *         .route("/chat/{room}", chat)
 *         .build();
 * }
 * </pre>
 *
 * A handler of a managed route that implements {@link WsConnectionMetadata} contributes
 * the metadata its sessions are registered with, as on a {@link WsEndpoint @WsEndpoint}.
 *
 * @since 0.1.0
 * @see WsEndpoint
 */
public final class WsRoutes {

	private final List<Route> routes;

	private WsRoutes(List<Route> routes) {
		this.routes = List.copyOf(routes);
	}

	/**
	 * Returns a builder for routes with no prefix and the {@link WsAuth#PUBLIC} policy.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The seed's {@code ws_public_router}: no credentials needed.
	 * @param prefix the path prefix, such as {@code /realtime}, or empty
	 * @return a new builder
	 */
	public static Builder publicRoutes(String prefix) {
		return builder().prefix(prefix).auth(WsAuth.PUBLIC);
	}

	/**
	 * The seed's {@code ws_protected_router}: a valid JWT or API key.
	 * @param prefix the path prefix
	 * @return a new builder
	 */
	public static Builder protectedRoutes(String prefix) {
		return builder().prefix(prefix).auth(WsAuth.PROTECTED);
	}

	/**
	 * The seed's {@code ws_user_router}: a valid JWT only.
	 * @param prefix the path prefix
	 * @return a new builder
	 */
	public static Builder userRoutes(String prefix) {
		return builder().prefix(prefix).auth(WsAuth.USER);
	}

	/**
	 * The seed's {@code ws_scopes_router}: a valid JWT carrying all the scopes.
	 * @param prefix the path prefix
	 * @param scopes the required scopes
	 * @return a new builder
	 */
	public static Builder scopesRoutes(String prefix, String... scopes) {
		return builder().prefix(prefix).auth(WsAuth.SCOPES).scopes(scopes);
	}

	/**
	 * A valid JWT carrying any of the scopes (the seed's {@code RequireWSAnyScope}).
	 * @param prefix the path prefix
	 * @param scopes the accepted scopes
	 * @return a new builder
	 */
	public static Builder anyScopeRoutes(String prefix, String... scopes) {
		return scopesRoutes(prefix, scopes).anyScope(true);
	}

	/**
	 * The seed's {@code ws_optional_router}: anonymous allowed, a bad token rejected.
	 * @param prefix the path prefix
	 * @return a new builder
	 */
	public static Builder optionalRoutes(String prefix) {
		return builder().prefix(prefix).auth(WsAuth.OPTIONAL);
	}

	/**
	 * Returns the routes.
	 * @return the routes, in declaration order
	 */
	public List<Route> routes() {
		return this.routes;
	}

	/**
	 * One endpoint.
	 *
	 * @param path the full path pattern, prefix included
	 * @param handler the handler
	 * @param auth the authentication policy
	 * @param scopes the scopes every principal the endpoint accepts must carry, whatever
	 * the policy (with {@link WsAuth#OPTIONAL}, anonymous sessions stay allowed)
	 * @param anyScope whether one of the scopes is enough
	 * @param managed whether sessions are registered with the connection manager
	 * automatically
	 * @param allowedOrigins the allowed origins, empty for {@code ws.allowed-origins}
	 */
	public record Route(String path, WebSocketHandler handler, WsAuth auth, Set<String> scopes, boolean anyScope,
			boolean managed, List<String> allowedOrigins) {

		public Route {
			Assert.isTrue(path.startsWith("/"), () -> "WebSocket path must start with '/', was '" + path + "'");
			Objects.requireNonNull(handler, "handler must not be null");
			scopes = Set.copyOf(new LinkedHashSet<>(scopes));
			allowedOrigins = List.copyOf(allowedOrigins);
			if (!scopes.isEmpty() && auth == WsAuth.PUBLIC) {
				auth = WsAuth.SCOPES;
			}
			Assert.isTrue(auth != WsAuth.SCOPES || !scopes.isEmpty(),
					() -> "WebSocket endpoint " + path + " has the SCOPES policy but no scopes");
		}

	}

	/**
	 * Builder of {@link WsRoutes}; its settings apply to every route it builds.
	 */
	public static final class Builder {

		private String prefix = "";

		private WsAuth auth = WsAuth.PUBLIC;

		private Set<String> scopes = Set.of();

		private boolean anyScope;

		private boolean managed = true;

		private List<String> allowedOrigins = List.of();

		private final List<PendingRoute> routes = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Sets the path prefix of every route.
		 * @param prefix such as {@code /api}, or empty
		 * @return this builder
		 */
		public Builder prefix(String prefix) {
			this.prefix = normalizePrefix(prefix);
			return this;
		}

		/**
		 * Sets the authentication policy.
		 * @param auth the policy
		 * @return this builder
		 */
		public Builder auth(WsAuth auth) {
			this.auth = Objects.requireNonNull(auth, "auth must not be null");
			return this;
		}

		/**
		 * Sets the scopes every principal must carry, from a JWT or an API key, whatever
		 * the policy: a principal without them is refused with 403. With
		 * {@link WsAuth#OPTIONAL}, anonymous sessions stay allowed.
		 * @param scopes the scopes
		 * @return this builder
		 */
		public Builder scopes(String... scopes) {
			this.scopes = Set.copyOf(Arrays.asList(scopes));
			return this;
		}

		/**
		 * Sets whether one of the scopes is enough.
		 * @param anyScope {@code true} for any of the scopes
		 * @return this builder
		 */
		public Builder anyScope(boolean anyScope) {
			this.anyScope = anyScope;
			return this;
		}

		/**
		 * Sets whether sessions are registered with the connection manager automatically
		 * (default {@code true}).
		 * @param managed whether the library connects and disconnects sessions
		 * @return this builder
		 */
		public Builder managed(boolean managed) {
			this.managed = managed;
			return this;
		}

		/**
		 * Sets the allowed origins, replacing {@code ws.allowed-origins}.
		 * @param allowedOrigins the origins or origin patterns
		 * @return this builder
		 */
		public Builder allowedOrigins(String... allowedOrigins) {
			this.allowedOrigins = List.of(allowedOrigins);
			return this;
		}

		/**
		 * Adds a route.
		 * @param path the path pattern under the prefix, such as {@code /events}
		 * @param handler the handler
		 * @return this builder
		 */
		public Builder route(String path, WebSocketHandler handler) {
			Assert.hasText(path, "path must not be empty");
			this.routes.add(new PendingRoute(path.startsWith("/") ? path : "/" + path, handler));
			return this;
		}

		/**
		 * Builds the routes.
		 * @return the routes
		 * @throws IllegalArgumentException when the policy and scopes do not fit
		 */
		public WsRoutes build() {
			List<Route> built = new ArrayList<>(this.routes.size());
			for (PendingRoute route : this.routes) {
				built.add(new Route(this.prefix + route.path(), route.handler(), this.auth, this.scopes, this.anyScope,
						this.managed, this.allowedOrigins));
			}
			return new WsRoutes(built);
		}

		private static String normalizePrefix(String prefix) {
			if (!StringUtils.hasText(prefix) || prefix.equals("/")) {
				return "";
			}
			String normalized = prefix.startsWith("/") ? prefix : "/" + prefix;
			return normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
		}

		private record PendingRoute(String path, WebSocketHandler handler) {

		}

	}

}
