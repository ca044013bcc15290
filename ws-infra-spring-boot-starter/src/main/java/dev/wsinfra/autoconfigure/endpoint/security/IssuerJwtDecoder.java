package dev.wsinfra.autoconfigure.endpoint.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The decoder of an issuer known only by its URI, whose keys are discovered (its OpenID
 * configuration, then its JWK Set) on first use rather than at start-up. While the issuer
 * cannot be reached, decoding fails at once with {@link UnavailableException}: discovery
 * is tried by one caller at a time, and after a failure only once a backoff has passed,
 * which doubles from 1 s up to 1 min, so that handshakes neither wait on the issuer nor
 * hammer it.
 */
final class IssuerJwtDecoder implements JwtDecoder {

	private static final Log logger = LogFactory.getLog(IssuerJwtDecoder.class);

	private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

	private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

	private final String issuer;

	private final Supplier<JwtDecoder> discovery;

	private final Clock clock;

	private final ReentrantLock discovering = new ReentrantLock();

	private volatile @Nullable JwtDecoder delegate;

	// Written under the discovering lock.
	private volatile Instant nextAttempt = Instant.MIN;

	// Guarded by the discovering lock.
	private int failures;

	/**
	 * Creates a decoder.
	 * @param issuer the issuer, for log lines
	 * @param discovery builds the decoder, contacting the issuer; may throw
	 * @param clock the clock of the backoff
	 */
	IssuerJwtDecoder(String issuer, Supplier<JwtDecoder> discovery, Clock clock) {
		this.issuer = issuer;
		this.discovery = discovery;
		this.clock = clock;
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		JwtDecoder decoder = this.delegate;
		return ((decoder != null) ? decoder : discover()).decode(token);
	}

	private JwtDecoder discover() {
		if (!this.clock.instant().isAfter(this.nextAttempt) || !this.discovering.tryLock()) {
			throw unavailable();
		}
		try {
			JwtDecoder decoder = this.delegate;
			if (decoder != null) {
				return decoder;
			}
			if (!this.clock.instant().isAfter(this.nextAttempt)) {
				throw unavailable();
			}
			try {
				decoder = this.discovery.get();
			}
			catch (RuntimeException ex) {
				this.failures++;
				Duration backoff = backoff(this.failures);
				this.nextAttempt = this.clock.instant().plus(backoff);
				logger.warn("Could not discover the JWT keys of issuer " + this.issuer + " (attempt " + this.failures
						+ ", " + ex + "); WebSocket handshakes that carry a JWT are answered with 503 until it "
						+ "answers, next attempt in " + backoff.toMillis() + " ms");
				throw unavailable();
			}
			if (this.failures > 0) {
				logger.info("Discovered the JWT keys of issuer " + this.issuer + " after " + this.failures
						+ " failed attempts");
			}
			this.delegate = decoder;
			return decoder;
		}
		finally {
			this.discovering.unlock();
		}
	}

	private UnavailableException unavailable() {
		return new UnavailableException("the keys of issuer " + this.issuer + " could not be discovered yet");
	}

	static Duration backoff(int failures) {
		Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 16));
		return (backoff.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : backoff;
	}

	/**
	 * Thrown while the issuer's keys are unknown: not a verdict on the token.
	 */
	static final class UnavailableException extends JwtException {

		private static final long serialVersionUID = 1L;

		UnavailableException(String message) {
			super(message);
		}

	}

}
