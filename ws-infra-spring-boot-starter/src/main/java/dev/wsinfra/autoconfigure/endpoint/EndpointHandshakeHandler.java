package dev.wsinfra.autoconfigure.endpoint;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.autoconfigure.endpoint.security.Credentials;
import dev.wsinfra.security.WsPrincipal;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Completes accepted handshakes: the session's principal is the {@link WsPrincipal} the
 * interceptor authenticated, and a client that offered the {@code bearer} subprotocol
 * gets it back (unless the handler speaks one of the other offered subprotocols), because
 * browsers drop a connection whose offered subprotocols were all ignored. The token
 * itself is never echoed.
 * <p>
 * Spring's handshake logs every request header at TRACE, so, when that is on, it sees the
 * credential headers masked ({@code Authorization}, the API key header, the subprotocol
 * after {@code bearer}); the upgrade itself, and so the session's handshake headers, get
 * the request as it came.
 */
final class EndpointHandshakeHandler implements HandshakeHandler {

	private final Credentials.CredentialNames names;

	private final Completing delegate = new Completing();

	EndpointHandshakeHandler(Credentials.CredentialNames names) {
		this.names = names;
	}

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		// Copying the headers to mask them is worth it only when Spring is going to
		// log them.
		ServerHttpRequest masked = (this.delegate.logsHeaders()
				&& request instanceof ServletServerHttpRequest servletRequest)
						? new MaskedRequest(servletRequest, this.names) : request;
		return this.delegate.doHandshake(masked, response, wsHandler, attributes);
	}

	/**
	 * Returns a copy of request headers with the credentials masked: the value of
	 * {@code Authorization} (and {@code Proxy-Authorization}) after its scheme, the API
	 * key header, and the subprotocol that follows {@code bearer}.
	 */
	static HttpHeaders mask(HttpHeaders headers, Credentials.CredentialNames names) {
		HttpHeaders masked = new HttpHeaders();
		headers.forEach((name, values) -> {
			if (name.equalsIgnoreCase(HttpHeaders.AUTHORIZATION)
					|| name.equalsIgnoreCase(HttpHeaders.PROXY_AUTHORIZATION)) {
				masked.put(name, values.stream().map(EndpointHandshakeHandler::maskAuthorization).toList());
			}
			else if (name.equalsIgnoreCase(names.apiKeyHeader())) {
				masked.put(name, values.stream().map((value) -> Credentials.MASK).toList());
			}
			else if (name.equalsIgnoreCase(WebSocketHttpHeaders.SEC_WEBSOCKET_PROTOCOL)) {
				masked.put(name, List.of(maskSubprotocols(Credentials.subprotocols(headers))));
			}
			else {
				masked.put(name, new ArrayList<>(values));
			}
		});
		return masked;
	}

	private static String maskAuthorization(String value) {
		int space = value.indexOf(' ');
		return (space > 0) ? value.substring(0, space + 1) + Credentials.MASK : Credentials.MASK;
	}

	private static String maskSubprotocols(List<String> protocols) {
		List<String> masked = new ArrayList<>(protocols);
		for (int i = 1; i < masked.size(); i++) {
			if (masked.get(i - 1).equals(Credentials.BEARER_SUBPROTOCOL)) {
				masked.set(i, Credentials.MASK);
			}
		}
		return String.join(", ", masked);
	}

	/**
	 * Spring's handshake, with the subprotocol and the principal of ws-infra's endpoints.
	 */
	private static final class Completing extends DefaultHandshakeHandler {

		Completing() {
			super(new UnmaskingUpgradeStrategy(new SharedConfiguratorUpgradeStrategy()));
		}

		/** Whether Spring's handshake logs the request headers (at TRACE). */
		boolean logsHeaders() {
			return this.logger.isTraceEnabled();
		}

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

	/** The handshake request with the credential headers masked. */
	private static final class MaskedRequest extends ServletServerHttpRequest {

		private final ServletServerHttpRequest original;

		private final HttpHeaders headers;

		MaskedRequest(ServletServerHttpRequest original, Credentials.CredentialNames names) {
			super(original.getServletRequest());
			this.original = original;
			this.headers = mask(original.getHeaders(), names);
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}

	/**
	 * Hands the upgrade the request as it came, so the session keeps the real headers.
	 */
	private record UnmaskingUpgradeStrategy(RequestUpgradeStrategy delegate) implements RequestUpgradeStrategy {

		@Override
		public String[] getSupportedVersions() {
			return this.delegate.getSupportedVersions();
		}

		@Override
		public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
			return this.delegate.getSupportedExtensions(unmask(request));
		}

		@Override
		public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
				List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
				Map<String, Object> attributes) throws HandshakeFailureException {
			this.delegate.upgrade(unmask(request), response, selectedProtocol, selectedExtensions, user, wsHandler,
					attributes);
		}

		private static ServerHttpRequest unmask(ServerHttpRequest request) {
			return (request instanceof MaskedRequest masked) ? masked.original : request;
		}

	}

}
