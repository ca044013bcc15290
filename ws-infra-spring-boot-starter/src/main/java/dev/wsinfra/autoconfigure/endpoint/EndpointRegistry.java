package dev.wsinfra.autoconfigure.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
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
 * {@link WsEndpoint @WsEndpoint} handler bean. Collected on first use, so that the servlet
 * filter, created while the web server starts, does not create the handlers early.
 */
final class EndpointRegistry {

	private final SingletonSupplier<Resolved> resolved;

	EndpointRegistry(ListableBeanFactory beanFactory) {
		this.resolved = SingletonSupplier.of(() -> resolve(beanFactory));
	}

	List<WsRoutes.Route> routes() {
		return this.resolved.obtain().routes();
	}

	/**
	 * Returns whether a request is a WebSocket handshake to a declared endpoint: a GET with
	 * {@code Upgrade: websocket} on one of their paths, which is all that their handler
	 * mapping serves. Other requests on the same paths, such as the application's own REST
	 * endpoints, are not.
	 */
	boolean matchesHandshake(HttpServletRequest request) {
		String upgrade = request.getHeader(HttpHeaders.UPGRADE);
		return HttpMethod.GET.matches(request.getMethod()) && "websocket".equalsIgnoreCase(upgrade)
				&& matches(request);
	}

	/**
	 * Returns whether a request targets a declared endpoint, by its path within the
	 * application, whatever its method.
	 */
	boolean matches(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		String path = (contextPath != null && uri.startsWith(contextPath)) ? uri.substring(contextPath.length()) : uri;
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
			add(routes, declaredBy, new WsRoutes.Route(endpoint.path(), handler, endpoint.auth(),
					Set.of(endpoint.scopes()), endpoint.anyScope(), endpoint.managed(),
					List.of(endpoint.allowedOrigins())), "@WsEndpoint bean '" + name + "'");
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
