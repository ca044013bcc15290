package dev.wsinfra.endpoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.wsinfra.security.WsAuth;

import org.springframework.core.annotation.AliasFor;

/**
 * Declares a {@code WebSocketHandler} bean as a WebSocket endpoint, on its class or on
 * its {@code @Bean} method. Path variables ({@code /chat/{room}}) become session
 * attributes of the same name. The session's principal is a
 * {@link dev.wsinfra.security.WsPrincipal} when the handshake was authenticated.
 * <p>
 * The handler receives whole messages up to {@code ws.max-message-size} (the connection
 * is closed with 1009 beyond it), unless it supports partial messages itself. An
 * exception from Jackson while it handles a message answers the client with an error
 * message and keeps the connection; any other exception closes it with 1011.
 *
 * @since 0.1.0
 * @see WsRoutes
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WsEndpoint {

	/**
	 * Name of the session attribute that holds the user id a managed endpoint registered
	 * the session under with the {@code ConnectionManager}: the principal's id, or
	 * {@link #ANONYMOUS_USER_PREFIX} and a random UUID for an anonymous session. Read it
	 * to join rooms or to address the session's own user; it is absent on unmanaged
	 * endpoints.
	 */
	String USER_ID_ATTRIBUTE = "dev.wsinfra.endpoint.WsEndpoint.userId";

	/**
	 * Name of the session attribute that holds the connection id a managed endpoint
	 * registered the session under with the {@code ConnectionManager}, set before the
	 * handler sees the session. It tells the session's own entry apart in
	 * {@code getUserConnections} or the user's presence; it is absent on unmanaged
	 * endpoints.
	 */
	String CONNECTION_ID_ATTRIBUTE = "dev.wsinfra.endpoint.WsEndpoint.connectionId";

	/**
	 * Start of the user id of every anonymous session of a managed endpoint, each a user
	 * of its own; {@link dev.wsinfra.security.WsRoomAccess} keeps such users out of
	 * protected rooms.
	 */
	String ANONYMOUS_USER_PREFIX = "anonymous:";

	/**
	 * Alias for {@link #path()}.
	 * @return the path
	 */
	@AliasFor("path")
	String value() default "";

	/**
	 * The path pattern of the endpoint, such as {@code /ws} or {@code /chat/{room}}.
	 * @return the path
	 */
	@AliasFor("value")
	String path() default "";

	/**
	 * The authentication policy.
	 * @return the policy, {@link WsAuth#PUBLIC} by default
	 */
	WsAuth auth() default WsAuth.PUBLIC;

	/**
	 * The scopes every principal the endpoint accepts must carry, from a JWT or an API
	 * key, whatever the {@link #auth() policy}: a principal without them is refused with
	 * 403. With {@link WsAuth#OPTIONAL}, anonymous sessions stay allowed. Setting any
	 * implies {@link WsAuth#SCOPES} when {@link #auth()} is left {@code PUBLIC}.
	 * @return the scopes
	 */
	String[] scopes() default {};

	/**
	 * Whether one of the {@link #scopes()} is enough, rather than all of them.
	 * @return {@code true} for any of the scopes
	 */
	boolean anyScope() default false;

	/**
	 * Whether the library registers each session with the {@code ConnectionManager}
	 * (under the principal's id, or {@code anonymous:} and a random UUID for an anonymous
	 * session) before the handler sees it, and removes it when it closes. The session's
	 * metadata names the endpoint, plus what the handler contributes when it implements
	 * {@link WsConnectionMetadata}. Set it to {@code false} to call
	 * {@code manager.connect} yourself; the handler then gets a session decorator whose
	 * writes take turns with the library's own messages, so that it may write to it
	 * directly ({@code WebSocketSessionDecorator.unwrap} returns the container's
	 * session).
	 * @return {@code true} by default
	 */
	boolean managed() default true;

	/**
	 * Origins allowed for this endpoint, replacing {@code ws.allowed-origins}.
	 * @return the origins, empty to use {@code ws.allowed-origins}
	 */
	String[] allowedOrigins() default {};

}
