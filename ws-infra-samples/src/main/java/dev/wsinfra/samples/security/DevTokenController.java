package dev.wsinfra.samples.security;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.wsinfra.server.ConnectionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.CloseStatus;

/**
 * The sample-only token endpoint: {@code POST /dev/token} with {@code {"user": "alice",
 * "scopes": ["notify"]}} answers {@code {"token": "<jwt>"}}, an HS256 JWT signed with
 * {@code ws.auth.jwt.secret}, whose subject is the user and whose {@code scope} claim
 * lists the scopes. It hands a token for any user to anyone, which is what makes the
 * sample easy to try and what no real service may do; {@code POST /dev/revoke} with
 * {@code {"user": "alice"}} closes the user's connections as a revocation would. Turn
 * them off with {@code samples.dev-token.enabled=false}, and get tokens from your
 * identity provider.
 */
@RestController
@ConditionalOnBooleanProperty(name = "samples.dev-token.enabled", matchIfMissing = true)
class DevTokenController {

	private static final Log logger = LogFactory.getLog(DevTokenController.class);

	private static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}._-]{1,32}");

	private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

	private static final int MAX_SCOPES = 10;

	/** The close status of a revoked user's connections: ws-infra.js does not retry. */
	static final CloseStatus REVOKED = new CloseStatus(4003, "Token revoked");

	private final JwtEncoder encoder;

	private final ConnectionManager manager;

	private final Duration ttl;

	DevTokenController(JwtEncoder encoder, ConnectionManager manager,
			@Value("${samples.dev-token.ttl:1h}") Duration ttl) {
		this.encoder = encoder;
		this.manager = manager;
		this.ttl = ttl;
		logger.warn("POST /dev/token hands a token for any user to anyone: it exists to try the sample; set "
				+ "samples.dev-token.enabled=false wherever that is not what you want");
	}

	@PostMapping("/dev/token")
	ResponseEntity<Map<String, String>> token(@RequestBody TokenRequest request) {
		String user = request.user();
		if (user == null || !USER.matcher(user).matches()) {
			return invalid("user must be 1 to 32 letters, digits, '.', '_' or '-'");
		}
		List<String> scopes = (request.scopes() != null) ? request.scopes() : List.of();
		if (scopes.size() > MAX_SCOPES) {
			return invalid("at most " + MAX_SCOPES + " scopes");
		}
		Set<String> unique = new LinkedHashSet<>();
		for (String scope : scopes) {
			if (scope == null || !SCOPE.matcher(scope).matches()) {
				return invalid("each scope must be 1 to 64 letters, digits, ':', '.', '_' or '-'");
			}
			unique.add(scope);
		}
		Instant now = Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder().subject(user).issuedAt(now).expiresAt(now.plus(this.ttl));
		if (!unique.isEmpty()) {
			claims.claim("scope", String.join(" ", unique));
		}
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
		String token = this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
		return ResponseEntity.ok(Map.of("token", token));
	}

	/**
	 * Revokes a user's tokens the way a service would once it learns they are
	 * compromised: the user's connections on every instance are closed with 4003 "Token
	 * revoked". (The sample still hands out new tokens: a real service also refuses the
	 * revoked ones at the handshake, with a JWT validator of its own.)
	 * @param request the user
	 * @return 202 with the user
	 */
	@PostMapping("/dev/revoke")
	ResponseEntity<Map<String, String>> revoke(@RequestBody TokenRequest request) {
		String user = request.user();
		if (user == null || !USER.matcher(user).matches()) {
			return invalid("user must be 1 to 32 letters, digits, '.', '_' or '-'");
		}
		this.manager.disconnect(user, REVOKED);
		return ResponseEntity.accepted().body(Map.of("user", user, "revoked", "true"));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable() {
		return invalid("the body must be JSON: {\"user\": \"...\", \"scopes\": [\"...\"]}");
	}

	private static ResponseEntity<Map<String, String>> invalid(String message) {
		return ResponseEntity.badRequest().body(Map.of("error", "invalid_request", "message", message));
	}

	/**
	 * What a client asks for.
	 *
	 * @param user the user id, the token's subject
	 * @param scopes the scopes, if any
	 */
	record TokenRequest(@Nullable String user, @Nullable List<String> scopes) {

	}

}
