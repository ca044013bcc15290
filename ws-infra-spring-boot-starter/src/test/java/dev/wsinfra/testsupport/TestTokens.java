package dev.wsinfra.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints JWTs for tests: valid ones signed with {@link #SECRET}, and the bad kinds
 * (expired, not yet valid, forged, {@code alg: none}, wrong issuer or audience).
 */
public final class TestTokens {

	/** The HMAC secret the test applications validate with. */
	public static final String SECRET = "ws-infra-test-secret-0123456789-abcdefghij";

	/** The issuer the test applications expect. */
	public static final String ISSUER = "https://issuer.test";

	/** The audience the test applications expect. */
	public static final String AUDIENCE = "ws-infra-tests";

	private TestTokens() {
	}

	public static Builder user(String subject) {
		return new Builder(subject);
	}

	/** A token whose header says {@code alg: none} and which has no signature. */
	public static String unsigned(String subject) {
		String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
		String claims = base64("{\"sub\":\"" + subject + "\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
				+ "\",\"exp\":" + Instant.now().plusSeconds(300).getEpochSecond() + "}");
		return header + "." + claims + ".";
	}

	public static KeyPair rsaKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String pem(java.security.PublicKey key) {
		return "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	private static String base64(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	public static final class Builder {

		private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();

		private Builder(String subject) {
			this.claims.subject(subject)
				.issuer(ISSUER)
				.audience(AUDIENCE)
				.issueTime(new Date())
				.expirationTime(Date.from(Instant.now().plusSeconds(300)));
		}

		public Builder email(String email) {
			this.claims.claim("email", email);
			return this;
		}

		public Builder scope(String scope) {
			this.claims.claim("scope", scope);
			return this;
		}

		public Builder scp(List<String> scopes) {
			this.claims.claim("scp", scopes);
			return this;
		}

		public Builder claim(String name, Object value) {
			this.claims.claim(name, value);
			return this;
		}

		public Builder expiresIn(Duration duration) {
			// exp is in whole seconds: round up, so that the token lives at least this
			// long
			Instant at = Instant.now().plus(duration);
			long seconds = (at.getNano() > 0) ? at.getEpochSecond() + 1 : at.getEpochSecond();
			this.claims.expirationTime(Date.from(Instant.ofEpochSecond(seconds)));
			return this;
		}

		/** Leaves out the {@code exp} claim: a token that never expires. */
		public Builder withoutExpiration() {
			this.claims.expirationTime(null);
			return this;
		}

		public Builder issuedAt(Instant instant) {
			this.claims.issueTime(Date.from(instant));
			return this;
		}

		public Builder notBefore(Instant instant) {
			this.claims.notBeforeTime(Date.from(instant));
			return this;
		}

		public Builder issuer(String issuer) {
			this.claims.issuer(issuer);
			return this;
		}

		public Builder audience(String audience) {
			this.claims.audience(audience);
			return this;
		}

		/** Signs with the test secret. */
		public String sign() {
			return signWith(SECRET);
		}

		/** Signs with another secret: a forged token. */
		public String signWith(String secret) {
			try {
				SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), this.claims.build());
				jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
				return jwt.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** Signs with an RSA private key, RS256. */
		public String signWith(RSAPrivateKey key) {
			return sign(key, new JWSHeader(JWSAlgorithm.RS256));
		}

		/** Signs with an RSA private key, RS256, naming its key id in the header. */
		public String signWith(RSAPrivateKey key, String keyId) {
			return sign(key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build());
		}

		private String sign(RSAPrivateKey key, JWSHeader header) {
			try {
				SignedJWT jwt = new SignedJWT(header, this.claims.build());
				jwt.sign(new RSASSASigner(key));
				return jwt.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
