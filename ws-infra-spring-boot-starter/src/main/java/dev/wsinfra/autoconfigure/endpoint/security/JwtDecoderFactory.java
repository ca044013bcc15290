package dev.wsinfra.autoconfigure.endpoint.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import dev.wsinfra.autoconfigure.WsProperties;

import org.springframework.core.io.Resource;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;

/**
 * Builds the {@link JwtDecoder} that {@code ws.auth.jwt.*} describes: from an HMAC
 * secret, an RSA public key, a JWK Set URI or, alone, an issuer's discovery document
 * (resolved on first use, so that start-up does not depend on the issuer, and retried
 * with a backoff while the issuer cannot be reached; see {@link IssuerJwtDecoder}).
 * Expiry and not-before are checked with the configured clock skew; the issuer and
 * audiences when configured.
 */
final class JwtDecoderFactory {

	private JwtDecoderFactory() {
	}

	/**
	 * Describes which source the properties select.
	 */
	static String source(WsProperties.Jwt jwt) {
		if (StringUtils.hasText(jwt.secret())) {
			return "ws.auth.jwt.secret";
		}
		if (jwt.publicKeyLocation() != null) {
			return "ws.auth.jwt.public-key-location";
		}
		if (StringUtils.hasText(jwt.jwkSetUri())) {
			return "ws.auth.jwt.jwk-set-uri";
		}
		return "ws.auth.jwt.issuer-uri";
	}

	static JwtDecoder create(WsProperties.Jwt jwt) {
		OAuth2TokenValidator<Jwt> validator = validator(jwt);
		String secret = jwt.secret();
		if (StringUtils.hasText(secret)) {
			MacAlgorithm algorithm = macAlgorithm(jwt.jwsAlgorithms());
			byte[] key = secret.getBytes(StandardCharsets.UTF_8);
			int minimum = minimumSecretBytes(algorithm);
			if (key.length < minimum) {
				throw new IllegalArgumentException("ws.auth.jwt.secret must be at least " + minimum + " bytes for "
						+ algorithm.getName() + ", was " + key.length + " bytes");
			}
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, algorithm.getName()))
				.macAlgorithm(algorithm)
				.build();
			decoder.setJwtValidator(validator);
			return decoder;
		}
		Resource publicKeyLocation = jwt.publicKeyLocation();
		if (publicKeyLocation != null) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(readPublicKey(publicKeyLocation))
				.signatureAlgorithm(signatureAlgorithm(jwt.jwsAlgorithms()))
				.build();
			decoder.setJwtValidator(validator);
			return decoder;
		}
		String jwkSetUri = jwt.jwkSetUri();
		if (StringUtils.hasText(jwkSetUri)) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri)
				.jwsAlgorithms((algorithms) -> algorithms.addAll(signatureAlgorithms(jwt.jwsAlgorithms())))
				.build();
			decoder.setJwtValidator(validator);
			return decoder;
		}
		String issuerUri = jwt.issuerUri();
		if (!StringUtils.hasText(issuerUri)) {
			throw new IllegalStateException(
					"None of ws.auth.jwt.secret, public-key-location, jwk-set-uri and " + "issuer-uri is set");
		}
		return new IssuerJwtDecoder(issuerUri, () -> {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuerUri).build();
			decoder.setJwtValidator(validator);
			return decoder;
		}, Clock.systemUTC());
	}

	private static OAuth2TokenValidator<Jwt> validator(WsProperties.Jwt jwt) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator(jwt.clockSkew()));
		String issuerUri = jwt.issuerUri();
		if (StringUtils.hasText(issuerUri)) {
			validators.add(new JwtIssuerValidator(issuerUri));
		}
		List<String> audiences = jwt.audiences();
		if (!audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					(aud) -> aud != null && aud.stream().anyMatch(audiences::contains)));
		}
		return JwtValidators.createDefaultWithValidators(validators);
	}

	private static MacAlgorithm macAlgorithm(List<String> algorithms) {
		if (algorithms.isEmpty()) {
			return MacAlgorithm.HS256;
		}
		if (algorithms.size() > 1) {
			throw new IllegalArgumentException(
					"ws.auth.jwt.jws-algorithms must name one HMAC algorithm with a secret, was " + algorithms);
		}
		MacAlgorithm algorithm = MacAlgorithm.from(algorithms.get(0));
		if (algorithm == null) {
			throw new IllegalArgumentException("ws.auth.jwt.jws-algorithms must be HS256, HS384 or HS512 with a "
					+ "secret, was " + algorithms.get(0));
		}
		return algorithm;
	}

	private static int minimumSecretBytes(MacAlgorithm algorithm) {
		return switch (algorithm) {
			case HS384 -> 48;
			case HS512 -> 64;
			default -> 32;
		};
	}

	private static SignatureAlgorithm signatureAlgorithm(List<String> algorithms) {
		List<SignatureAlgorithm> parsed = signatureAlgorithms(algorithms);
		if (parsed.size() > 1) {
			throw new IllegalArgumentException(
					"ws.auth.jwt.jws-algorithms must name one algorithm with a public key, was " + algorithms);
		}
		return parsed.get(0);
	}

	private static List<SignatureAlgorithm> signatureAlgorithms(List<String> algorithms) {
		if (algorithms.isEmpty()) {
			return List.of(SignatureAlgorithm.RS256);
		}
		List<SignatureAlgorithm> parsed = new ArrayList<>();
		for (String name : algorithms) {
			SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
			if (algorithm == null) {
				throw new IllegalArgumentException(
						"ws.auth.jwt.jws-algorithms must name signature algorithms such as RS256, was " + name);
			}
			parsed.add(algorithm);
		}
		return parsed;
	}

	private static RSAPublicKey readPublicKey(Resource location) {
		if (!location.exists()) {
			throw new IllegalArgumentException("ws.auth.jwt.public-key-location does not exist: " + location);
		}
		try (InputStream input = location.getInputStream()) {
			return RsaKeyConverters.x509().convert(input);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException(
					"ws.auth.jwt.public-key-location is not a PEM-encoded RSA public key: " + location, ex);
		}
	}

}
