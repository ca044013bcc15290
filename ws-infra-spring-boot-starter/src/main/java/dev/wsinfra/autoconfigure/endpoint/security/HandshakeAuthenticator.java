package dev.wsinfra.autoconfigure.endpoint.security;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.RemoteKeySourceException;
import dev.wsinfra.WsAuthenticationException;
import dev.wsinfra.autoconfigure.WsProperties;
import dev.wsinfra.security.WsApiKeyAuthenticator;
import dev.wsinfra.security.WsPrincipal;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.util.StringUtils;

/**
 * Turns credentials into a {@link WsPrincipal}: a JWT through the {@link JwtDecoder} in
 * use, an API key through the application's {@link WsApiKeyAuthenticator}. Failures are
 * {@link WsAuthenticationException}s whose message never contains the credential.
 * <p>
 * Not API: public only for the endpoint packages of ws-infra's auto-configuration; may
 * change without notice.
 */
public final class HandshakeAuthenticator {

	private final @Nullable JwtDecoder jwtDecoder;

	private final String jwtSource;

	private final @Nullable WsApiKeyAuthenticator apiKeys;

	private final WsProperties.Claims claims;

	private final Duration clockSkew;

	private final boolean allowMissingExpiration;

	private final boolean allowFutureIssuedAt;

	HandshakeAuthenticator(@Nullable JwtDecoder jwtDecoder, String jwtSource, @Nullable WsApiKeyAuthenticator apiKeys,
			WsProperties.Jwt jwt) {
		this.jwtDecoder = jwtDecoder;
		this.jwtSource = jwtSource;
		this.apiKeys = apiKeys;
		this.claims = jwt.claims();
		this.clockSkew = jwt.clockSkew();
		this.allowMissingExpiration = jwt.allowMissingExpiration();
		this.allowFutureIssuedAt = jwt.allowFutureIssuedAt();
	}

	/**
	 * Returns whether JWTs can be validated.
	 * @return whether a decoder is configured
	 */
	public boolean supportsTokens() {
		return this.jwtDecoder != null;
	}

	/**
	 * Returns whether API keys can be checked.
	 * @return whether the application has a {@link WsApiKeyAuthenticator}
	 */
	public boolean supportsApiKeys() {
		return this.apiKeys != null;
	}

	String jwtSource() {
		return this.jwtSource;
	}

	/**
	 * Validates a JWT: signature, expiry, not-before, and issuer and audience as
	 * configured; then, whatever the decoder, that it has an expiry and was not issued in
	 * the future (beyond the clock skew), unless the properties allow it.
	 * @return the principal and the instant from which the connection must close
	 * @throws WsAuthenticationException (401) when the token is not valid, (503) when the
	 * keys that verify it cannot be retrieved now
	 */
	public Authenticated authenticateToken(String token) {
		JwtDecoder decoder = this.jwtDecoder;
		if (decoder == null) {
			throw new WsAuthenticationException("no JWT validation is configured (ws.auth.jwt.*)");
		}
		Jwt jwt;
		try {
			jwt = decoder.decode(token);
		}
		catch (IssuerJwtDecoder.UnavailableException ex) {
			throw unavailable(ex.getMessage());
		}
		catch (JwtDecoderInitializationException ex) {
			// A decoder of the application's that resolves its keys lazily, such as
			// Spring Boot's.
			throw unavailable("the JwtDecoder could not initialize");
		}
		catch (JwtException ex) {
			if (ex.getCause() instanceof RemoteKeySourceException remote
					&& !(remote.getCause() instanceof ParseException)) {
				throw unavailable("the JWK Set could not be retrieved");
			}
			throw new WsAuthenticationException("invalid token: " + redact(ex.getMessage(), token));
		}
		checkTimes(jwt);
		Object id = jwt.getClaims().get(this.claims.id());
		if (id == null || !StringUtils.hasText(id.toString())) {
			throw new WsAuthenticationException("invalid token: no '" + this.claims.id() + "' claim");
		}
		Object email = jwt.getClaims().get(this.claims.email());
		WsPrincipal principal = new WsPrincipal(id.toString(), (email != null) ? email.toString() : null, scopes(jwt),
				jwt.getClaims());
		Instant expiresAt = jwt.getExpiresAt();
		return new Authenticated(principal, (expiresAt != null) ? expiresAt.plus(this.clockSkew) : null);
	}

	/**
	 * Applies the policy on times that the decoder may not: an application's decoder,
	 * with Spring Security's defaults, accepts tokens without {@code exp}, and none
	 * checks {@code iat}.
	 */
	private void checkTimes(Jwt jwt) {
		if (jwt.getExpiresAt() == null && !this.allowMissingExpiration) {
			throw new WsAuthenticationException("invalid token: no 'exp' claim");
		}
		Instant issuedAt = jwt.getIssuedAt();
		if (issuedAt != null && !this.allowFutureIssuedAt && issuedAt.isAfter(Instant.now().plus(this.clockSkew))) {
			throw new WsAuthenticationException("invalid token: issued in the future ('iat' claim " + issuedAt + ")");
		}
	}

	/**
	 * The keys that verify tokens cannot be had now: the server, not the token, is at
	 * fault.
	 */
	private static WsAuthenticationException unavailable(String reason) {
		return new WsAuthenticationException("JWT validation is unavailable: " + reason,
				HttpStatus.SERVICE_UNAVAILABLE.value());
	}

	/**
	 * Checks an API key.
	 * @return the principal, without expiry
	 * @throws WsAuthenticationException (401) when the key is not valid
	 */
	public Authenticated authenticateApiKey(String apiKey) {
		WsApiKeyAuthenticator authenticator = this.apiKeys;
		if (authenticator == null) {
			throw new WsAuthenticationException("API keys are not accepted: no WsApiKeyAuthenticator bean");
		}
		Optional<WsPrincipal> principal = authenticator.authenticate(apiKey);
		if (principal == null || principal.isEmpty()) {
			throw new WsAuthenticationException("invalid API key");
		}
		return new Authenticated(principal.get(), null);
	}

	private Set<String> scopes(Jwt jwt) {
		for (String name : this.claims.scopes()) {
			Object value = jwt.getClaims().get(name);
			if (value instanceof String text) {
				return Set.copyOf(List.of(StringUtils.tokenizeToStringArray(text, " ")));
			}
			if (value instanceof Collection<?> collection) {
				Set<String> scopes = new LinkedHashSet<>();
				for (Object scope : collection) {
					scopes.add(String.valueOf(scope));
				}
				return scopes;
			}
		}
		return Set.of();
	}

	static String redact(@Nullable String message, String secret) {
		if (message == null) {
			return "";
		}
		return (secret.isEmpty()) ? message : message.replace(secret, "***");
	}

	/**
	 * A successful authentication.
	 *
	 * @param principal the principal
	 * @param expiresAt when the connection must close unless refreshed, {@code null} for
	 * never
	 */
	public record Authenticated(WsPrincipal principal, @Nullable Instant expiresAt) {

	}

}
