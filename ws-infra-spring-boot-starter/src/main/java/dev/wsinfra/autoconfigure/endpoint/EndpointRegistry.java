package dev.wsinfra.autoconfigure.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The declared endpoints: every route of every {@link WsRoutes} bean and every
 * {@link WsEndpoint @WsEndpoint} handler bean. Collected on first use, so that the
 * servlet filter, created while the web server starts, does not create the handlers
 * early.
 * <p>
 * Not API: public only for the endpoint packages of ws-infra's auto-configuration; may
 * change without notice.
 */
public final class EndpointRegistry {

	private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

	private final SingletonSupplier<Resolved> resolved;

	EndpointRegistry(ListableBeanFactory beanFactory) {
		this.resolved = SingletonSupplier.of(() -> resolve(beanFactory));
	}

	/**
	 * Returns the declared endpoints.
	 * @return the routes, those of {@link WsRoutes} beans first
	 */
	public List<WsRoutes.Route> routes() {
		return this.resolved.obtain().routes();
	}

	/**
	 * Returns whether a request is a WebSocket handshake to a declared endpoint: a GET
	 * with {@code Upgrade: websocket} on one of their paths, which is all that their
	 * handler mapping serves. Other requests on the same paths, such as the application's
	 * own REST endpoints, are not.
	 * @param request the request
	 * @return whether it is such a handshake
	 */
	public boolean matchesHandshake(HttpServletRequest request) {
		return isHandshake(request) && matches(path(request, request.getRequestURI()));
	}

	/**
	 * Returns whether a request is a WebSocket handshake whose query string may hold
	 * credentials meant for a declared endpoint, to be masked: as
	 * {@link #matchesHandshake(HttpServletRequest)}, and also on an endpoint's path with
	 * a trailing slash, or the error page of such a handshake (see
	 * {@link #matchesForMasking(HttpServletRequest)}). Never for routing.
	 */
	boolean matchesHandshakeForMasking(HttpServletRequest request) {
		return isHandshake(request) && matchesForMasking(request);
	}

	/**
	 * Returns whether the query string of a request, whatever its method, may hold
	 * credentials meant for a declared endpoint, to be masked: one on an endpoint's path,
	 * or on that path with doubled or trailing slashes (a base URL ending in a slash),
	 * which Spring does not route to the endpoint but whose client believes it does, and
	 * sends its credentials; and the error page of such a request, which sees the
	 * request's query string again. Never for routing.
	 * @param request the request
	 * @return whether its query string is to be masked
	 */
	public boolean matchesForMasking(HttpServletRequest request) {
		String uri = (request.getDispatcherType() == DispatcherType.ERROR
				&& request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String original) ? original
						: request.getRequestURI();
		String path = path(request, uri);
		return matches(path) || matches(withSingleSlashes(path));
	}

	private static String withSingleSlashes(String path) {
		String single = REPEATED_SLASHES.matcher(path).replaceAll("/");
		return (single.length() > 1 && single.endsWith("/")) ? single.substring(0, single.length() - 1) : single;
	}

	private static boolean isHandshake(HttpServletRequest request) {
		String upgrade = request.getHeader(HttpHeaders.UPGRADE);
		return HttpMethod.GET.matches(request.getMethod()) && "websocket".equalsIgnoreCase(upgrade);
	}

	private static String path(HttpServletRequest request, String uri) {
		String contextPath = request.getContextPath();
		return (contextPath != null && uri.startsWith(contextPath)) ? uri.substring(contextPath.length()) : uri;
	}

	private boolean matches(String path) {
		PathContainer container = PathContainer.parsePath(path);
		for (PathPattern pattern : this.resolved.obtain().patterns()) {
			if (pattern.matches(container)) {
				return true;
			}
		}
		return false;
	}

	private static Resolved resolve(ListableBeanFactory beanFactory) {
		Map<String, String> declaredBy = new LinkedHashMap<>();
		List<WsRoutes.Route> routes = new ArrayList<>();
		for (Map.Entry<String, WsRoutes> entry : beanFactory.getBeansOfType(WsRoutes.class).entrySet()) {
			for (WsRoutes.Route route : entry.getValue().routes()) {
				add(routes, declaredBy, route, "WsRoutes bean '" + entry.getKey() + "'");
			}
		}
		for (String name : beanFactory.getBeanNamesForAnnotation(WsEndpoint.class)) {
			WsEndpoint endpoint = beanFactory.findAnnotationOnBean(name, WsEndpoint.class);
			if (endpoint == null) {
				continue;
			}
			Object bean = beanFactory.getBean(name);
			if (!(bean instanceof WebSocketHandler handler)) {
				throw new IllegalStateException("Bean '" + name + "' is annotated with @WsEndpoint but is a "
						+ bean.getClass().getName() + ", not a WebSocketHandler");
			}
			if (!StringUtils.hasText(endpoint.path())) {
				throw new IllegalStateException("@WsEndpoint on bean '" + name + "' has no path");
			}
			add(routes, declaredBy,
					new WsRoutes.Route(endpoint.path(), handler, endpoint.auth(), Set.of(endpoint.scopes()),
							endpoint.anyScope(), endpoint.managed(), List.of(endpoint.allowedOrigins())),
					"@WsEndpoint bean '" + name + "'");
		}
		List<PathPattern> patterns = routes.stream()
			.map((route) -> PathPatternParser.defaultInstance.parse(route.path()))
			.toList();
		return new Resolved(List.copyOf(routes), patterns);
	}

	private static void add(List<WsRoutes.Route> routes, Map<String, String> declaredBy, WsRoutes.Route route,
			String origin) {
		String previous = declaredBy.putIfAbsent(route.path(), origin);
		if (previous != null) {
			throw new IllegalStateException(
					"WebSocket path " + route.path() + " is declared twice: by " + previous + " and by " + origin);
		}
		routes.add(route);
	}

	private record Resolved(List<WsRoutes.Route> routes, List<PathPattern> patterns) {

	}

}
