package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.autoconfigure.endpoint.security.Credentials;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.socket.WebSocketHttpHeaders;

/**
 * Prepares WebSocket handshakes to the declared endpoints before anything else reads
 * them: puts the credential query parameters aside for the handshake and masks them in
 * the query string that everything downstream sees (request logging, session URIs, error
 * messages), and hides the {@code Sec-WebSocket-Extensions} header unless
 * permessage-deflate is allowed, because Tomcat 11 reads it again during the upgrade and
 * deflate breaks partial messages.
 */
final class UpgradeRequestFilter extends OncePerRequestFilter {

	private final EndpointRegistry registry;

	private final Credentials.CredentialNames names;

	private final boolean allowDeflate;

	UpgradeRequestFilter(EndpointRegistry registry, Credentials.CredentialNames names, boolean allowDeflate) {
		this.registry = registry;
		this.names = names;
		this.allowDeflate = allowDeflate;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		// An error page, such as the 404 of an endpoint's path with a trailing slash,
		// sees the handshake's query string again.
		return false;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// The application's own requests on an endpoint's path keep their parameters.
		return !this.registry.matchesHandshakeForMasking(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		Map<String, String> credentials = (query != null) ? Credentials.extract(query, this.names) : Map.of();
		request.setAttribute(Credentials.QUERY_CREDENTIALS_ATTRIBUTE, credentials);
		String masked = credentials.isEmpty() ? query : Credentials.maskQuery(query, this.names);
		chain.doFilter(new PreparedRequest(request, masked, credentials.keySet(), this.allowDeflate), response);
	}

	private static final class PreparedRequest extends HttpServletRequestWrapper {

		private final @Nullable String queryString;

		private final java.util.Set<String> masked;

		private final boolean allowDeflate;

		PreparedRequest(HttpServletRequest request, @Nullable String queryString, java.util.Set<String> masked,
				boolean allowDeflate) {
			super(request);
			this.queryString = queryString;
			this.masked = masked;
			this.allowDeflate = allowDeflate;
		}

		@Override
		public @Nullable String getQueryString() {
			return this.queryString;
		}

		@Override
		public @Nullable String getParameter(String name) {
			return this.masked.contains(name) ? Credentials.MASK : super.getParameter(name);
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			return this.masked.contains(name) ? new String[] { Credentials.MASK } : super.getParameterValues(name);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			Map<String, String[]> parameters = new LinkedHashMap<>(super.getParameterMap());
			for (String name : this.masked) {
				parameters.computeIfPresent(name, (key, values) -> new String[] { Credentials.MASK });
			}
			return Collections.unmodifiableMap(parameters);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return hidden(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			if (this.allowDeflate) {
				return super.getHeaderNames();
			}
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(this::hidden);
			return Collections.enumeration(names);
		}

		private boolean hidden(String name) {
			return !this.allowDeflate && WebSocketHttpHeaders.SEC_WEBSOCKET_EXTENSIONS.equalsIgnoreCase(name);
		}

	}

}
