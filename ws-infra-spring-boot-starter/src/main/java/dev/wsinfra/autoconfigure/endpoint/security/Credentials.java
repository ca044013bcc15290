package dev.wsinfra.autoconfigure.endpoint.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import dev.wsinfra.WsAuthenticationException;
import dev.wsinfra.autoconfigure.WsProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The credentials a handshake carries: a JWT from the {@code Authorization: Bearer}
 * header, the {@code ["bearer", <jwt>]} subprotocol pair (raw, or base64url-encoded when
 * it has no dot) or the token query parameter, in that order of preference; an API key
 * from its header or query parameter. Nothing is decoded until {@link #token()} is
 * called, so that a policy that ignores credentials never fails on them.
 * <p>
 * Not API: public only for the endpoint packages of ws-infra's auto-configuration; may
 * change without notice.
 *
 * @param headerToken the JWT of the {@code Authorization} header, if any
 * @param subprotocolToken the subprotocol after {@code bearer}, as sent, if any
 * @param queryToken the JWT of the query parameter, if any
 * @param apiKey the API key, if any
 */
public record Credentials(@Nullable String headerToken, @Nullable String subprotocolToken, @Nullable String queryToken,
		@Nullable String apiKey) {

	/** The subprotocol whose successor carries the JWT. */
	public static final String BEARER_SUBPROTOCOL = "bearer";

	/**
	 * Request attribute that holds the credential query parameters that
	 * {@code UpgradeRequestFilter} put aside before masking the query string.
	 */
	public static final String QUERY_CREDENTIALS_ATTRIBUTE = Credentials.class.getName() + ".query";

	/** What a masked credential reads as. */
	public static final String MASK = "***";

	private static final String BEARER_PREFIX = "bearer ";

	public Credentials {
		headerToken = textOrNull(headerToken);
		subprotocolToken = textOrNull(subprotocolToken);
		queryToken = textOrNull(queryToken);
		apiKey = textOrNull(apiKey);
	}

	/**
	 * Reads the credentials of a handshake request. The credential query parameters come
	 * from what {@code UpgradeRequestFilter} put aside before masking the query string.
	 * @param request the handshake request
	 * @param names the names credentials travel under
	 * @return the credentials
	 */
	public static Credentials of(ServerHttpRequest request, CredentialNames names) {
		Map<String, String> query = queryCredentials(request, names);
		List<String> protocols = subprotocols(request.getHeaders());
		int bearer = protocols.indexOf(BEARER_SUBPROTOCOL);
		String apiKey = request.getHeaders().getFirst(names.apiKeyHeader());
		return new Credentials(bearerHeader(request.getHeaders()),
				(bearer >= 0 && bearer + 1 < protocols.size()) ? protocols.get(bearer + 1) : null,
				query.get(names.tokenQueryParameter()),
				StringUtils.hasText(apiKey) ? apiKey : query.get(names.apiKeyQueryParameter()));
	}

	/**
	 * Returns the JWT of the most preferred carrier.
	 * @return the token, or {@code null} when the handshake carries none
	 * @throws WsAuthenticationException when the subprotocol value is neither a JWT nor
	 * base64url
	 */
	public @Nullable String token() {
		if (this.headerToken != null) {
			return this.headerToken;
		}
		if (this.subprotocolToken != null) {
			return textOrNull(decodeSubprotocolToken(this.subprotocolToken));
		}
		return this.queryToken;
	}

	private static @Nullable String textOrNull(@Nullable String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static @Nullable String bearerHeader(HttpHeaders headers) {
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.length() > BEARER_PREFIX.length()
				&& authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return authorization.substring(BEARER_PREFIX.length()).trim();
		}
		return null;
	}

	/**
	 * Returns the subprotocols a handshake offers, in order.
	 * @param headers the request headers
	 * @return the subprotocols
	 */
	public static List<String> subprotocols(HttpHeaders headers) {
		List<String> protocols = new ArrayList<>();
		List<String> values = headers.get(WebSocketHttpHeaders.SEC_WEBSOCKET_PROTOCOL);
		if (values != null) {
			for (String value : values) {
				for (String protocol : StringUtils.tokenizeToStringArray(value, ",")) {
					protocols.add(protocol);
				}
			}
		}
		return protocols;
	}

	/**
	 * A raw JWT always holds dots, which base64url never produces; a value without a dot
	 * is the base64url encoding (padding optional) of the token.
	 */
	static String decodeSubprotocolToken(String value) {
		if (value.indexOf('.') >= 0) {
			return value;
		}
		try {
			return new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new WsAuthenticationException(
					"invalid token: the bearer subprotocol value is neither a JWT nor " + "base64url-encoded");
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> queryCredentials(ServerHttpRequest request, CredentialNames names) {
		if (request instanceof ServletServerHttpRequest servletRequest && servletRequest.getServletRequest()
			.getAttribute(QUERY_CREDENTIALS_ATTRIBUTE) instanceof Map<?, ?> stashed) {
			return (Map<String, String>) stashed;
		}
		String query = request.getURI().getRawQuery();
		return (query != null) ? extract(query, names) : Map.of();
	}

	/**
	 * Extracts the credential parameters from a raw query string, decoded.
	 * @param rawQuery the query string, as sent
	 * @param names the names credentials travel under
	 * @return the credentials by parameter name
	 */
	public static Map<String, String> extract(String rawQuery, CredentialNames names) {
		Map<String, String> found = new java.util.HashMap<>();
		UriComponentsBuilder.newInstance().query(rawQuery).build().getQueryParams().forEach((name, values) -> {
			String decoded = UriUtils.decode(name, StandardCharsets.UTF_8);
			if (names.isCredential(decoded) && !values.isEmpty() && values.get(0) != null) {
				found.putIfAbsent(decoded, UriUtils.decode(values.get(0), StandardCharsets.UTF_8));
			}
		});
		return found;
	}

	/**
	 * Returns a raw query string with the values of credential parameters replaced.
	 * @param rawQuery the query string, as sent
	 * @param names the names credentials travel under
	 * @return the masked query string
	 */
	public static @Nullable String maskQuery(@Nullable String rawQuery, CredentialNames names) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return rawQuery;
		}
		StringJoiner joined = new StringJoiner("&");
		for (String pair : rawQuery.split("&", -1)) {
			int equals = pair.indexOf('=');
			String name = UriUtils.decode((equals >= 0) ? pair.substring(0, equals) : pair, StandardCharsets.UTF_8);
			joined.add((equals >= 0 && names.isCredential(name)) ? pair.substring(0, equals + 1) + MASK : pair);
		}
		return joined.toString();
	}

	/**
	 * The names credentials travel under.
	 *
	 * @param tokenQueryParameter the query parameter of a JWT
	 * @param apiKeyHeader the header of an API key
	 * @param apiKeyQueryParameter the query parameter of an API key
	 */
	public record CredentialNames(String tokenQueryParameter, String apiKeyHeader, String apiKeyQueryParameter) {

		/**
		 * Returns the names that the properties configure.
		 * @param auth the authentication properties
		 * @return the names
		 */
		public static CredentialNames of(WsProperties.Auth auth) {
			return new CredentialNames(auth.tokenQueryParameter(), auth.apiKey().header(),
					auth.apiKey().queryParameter());
		}

		/**
		 * Returns whether a query parameter carries a credential.
		 * @param queryParameter the parameter's name, decoded
		 * @return whether it is the token's or the API key's
		 */
		public boolean isCredential(String queryParameter) {
			return queryParameter.equals(this.tokenQueryParameter) || queryParameter.equals(this.apiKeyQueryParameter);
		}

	}

}
