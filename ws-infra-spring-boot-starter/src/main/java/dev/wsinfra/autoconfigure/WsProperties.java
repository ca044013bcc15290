package dev.wsinfra.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.SlowConsumerPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of ws-infra, bound from {@code ws.*} and from the seed's
 * {@code WS_*} environment variables. The seed's keys sit directly under {@code ws.} and
 * serve both the client and the server; server settings sit beside them.
 *
 * @param openTimeout Time allowed for the opening handshake. If a duration suffix is not
 * specified, seconds will be used.
 * @param closeTimeout Time allowed for the close handshake, and for the messages queued
 * before a close to be written. If a duration suffix is not specified, seconds will be
 * used.
 * @param pingInterval Keepalive ping interval, on the client and on the server, 0 to
 * disable keepalive pings. If a duration suffix is not specified, seconds will be used.
 * @param pingTimeout Time a pong may take before the connection is considered dead. If a
 * duration suffix is not specified, seconds will be used.
 * @param maxMessageSize Maximum size of one message, in either direction; the server
 * closes with 1009 beyond it.
 * @param maxQueueSize Maximum number of received messages a client keeps unread.
 * @param maxSendQueueSize Maximum number of messages a client queues for sending; a send
 * beyond it fails.
 * @param reconnect Reconnection of the client.
 * @param maxConnectionsPerUser Maximum number of connections one user may hold, 0 for
 * unlimited; the server closes further ones with 4008.
 * @param roomNotices Whether a room's members are told when a user joins or leaves it,
 * with {"type":"user_joined"} and {"type":"user_left"} messages carrying "user_id" and
 * "room", as the seed's Redis manager does.
 * @param maxConnectionsPerInstance Maximum number of connections to ws-infra's endpoints
 * on this instance, 0 for unlimited; further handshakes are answered with 503.
 * @param allowedOrigins Origins allowed to open a connection from a browser, in addition
 * to the server's own origin; patterns such as "https://*.example.com" and "*" are
 * accepted.
 * @param outboundQueueLimit Maximum number of messages queued for one connection before
 * the slow-consumer policy applies.
 * @param outboundQueueBytes Maximum size of the messages queued for one connection,
 * encoded (UTF-8 for text), before the slow-consumer policy applies; a single larger
 * message is still queued when nothing else is. Bounds the memory a client that does not
 * read can pin.
 * @param outboundMaxDelay Longest time a message may wait in a connection's outbound
 * queue before the slow-consumer policy applies to it, 0 for no limit. If a duration
 * suffix is not specified, seconds will be used.
 * @param slowConsumerPolicy What happens to a connection whose outbound queue is full or
 * whose oldest message waited too long.
 * @param writerThreads Number of threads that write to connections, 0 for the number of
 * processors (at least 2).
 * @param writeStallThreshold Time a write to a connection may block before the connection
 * counts as stalled: it is then written asynchronously and a thread stands in for the
 * blocked one. If a duration suffix is not specified, seconds will be used.
 * @param maxBadMessages Number of bad messages in a row, such as malformed JSON, after
 * which the connection is closed with 1008, 0 to never close for bad messages.
 * @param instanceId Identifier of this instance in metrics and health; the connection
 * manager's own when it is distributed, generated when not set.
 * @param permessageDeflate Whether clients may negotiate the permessage-deflate
 * extension. When enabled, messages are no longer received in parts and the container's
 * message buffers grow to the maximum message size, which costs memory on every
 * connection.
 * @param auth Authentication of handshakes.
 * @param shutdown Graceful shutdown.
 * @param tomcat Memory settings of Tomcat's WebSocket implementation.
 * @param security Integration with the application's Spring Security.
 * @since 0.1.0
 */
@ConfigurationProperties("ws")
public record WsProperties(@DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration openTimeout,
		@DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration closeTimeout,
		@DefaultValue("20s") @DurationUnit(ChronoUnit.SECONDS) Duration pingInterval,
		@DefaultValue("20s") @DurationUnit(ChronoUnit.SECONDS) Duration pingTimeout,
		@DefaultValue("1MB") DataSize maxMessageSize, @DefaultValue("16") int maxQueueSize,
		@DefaultValue("64") int maxSendQueueSize, @DefaultValue Reconnect reconnect,
		@DefaultValue("0") int maxConnectionsPerUser, @DefaultValue("false") boolean roomNotices,
		@DefaultValue("0") int maxConnectionsPerInstance, @DefaultValue List<String> allowedOrigins,
		@DefaultValue("1024") int outboundQueueLimit, @DefaultValue("1MB") DataSize outboundQueueBytes,
		@DefaultValue("30s") @DurationUnit(ChronoUnit.SECONDS) Duration outboundMaxDelay,
		@DefaultValue("close") SlowConsumerPolicy slowConsumerPolicy, @DefaultValue("0") int writerThreads,
		@DefaultValue("500ms") @DurationUnit(ChronoUnit.SECONDS) Duration writeStallThreshold,
		@DefaultValue("10") int maxBadMessages, @Nullable String instanceId,
		@DefaultValue("false") boolean permessageDeflate, @DefaultValue Auth auth, @DefaultValue Shutdown shutdown,
		@DefaultValue Tomcat tomcat, @DefaultValue Security security) {

	public WsProperties {
		Checks.positive("ws.open-timeout", openTimeout);
		Checks.positive("ws.close-timeout", closeTimeout);
		Checks.notNegative("ws.ping-interval", pingInterval);
		Checks.positive("ws.ping-timeout", pingTimeout);
		Checks.check("ws.max-message-size", maxMessageSize,
				maxMessageSize.toBytes() > 0 && maxMessageSize.toBytes() <= Integer.MAX_VALUE,
				"must be between 1B and " + Integer.MAX_VALUE + "B");
		Checks.positive("ws.max-queue-size", maxQueueSize);
		Checks.positive("ws.max-send-queue-size", maxSendQueueSize);
		Checks.notNegative("ws.writer-threads", writerThreads);
		Checks.positive("ws.write-stall-threshold", writeStallThreshold);
		Checks.notNegative("ws.max-connections-per-user", maxConnectionsPerUser);
		Checks.notNegative("ws.max-connections-per-instance", maxConnectionsPerInstance);
		Checks.positive("ws.outbound-queue-limit", outboundQueueLimit);
		Checks.check("ws.outbound-queue-bytes", outboundQueueBytes, outboundQueueBytes.toBytes() > 0,
				"must be at least 1B");
		Checks.notNegative("ws.outbound-max-delay", outboundMaxDelay);
		Checks.notNegative("ws.max-bad-messages", maxBadMessages);
		allowedOrigins = List.copyOf(allowedOrigins);
	}

	/**
	 * Returns the client settings these properties describe: the single mapping from
	 * {@code ws.*} to {@link WebSocketConfig}.
	 * @return the configuration
	 */
	public WebSocketConfig toWebSocketConfig() {
		WebSocketConfig.Builder builder = WebSocketConfig.builder();
		PropertyMapper map = PropertyMapper.get();
		map.from(this.openTimeout).to(builder::openTimeout);
		map.from(this.closeTimeout).to(builder::closeTimeout);
		map.from(this.pingInterval).to(builder::pingInterval);
		map.from(this.pingTimeout).to(builder::pingTimeout);
		map.from(this.maxMessageSize).asInt(DataSize::toBytes).to(builder::maxMessageSize);
		map.from(this.maxQueueSize).to(builder::maxQueueSize);
		map.from(this.maxSendQueueSize).to(builder::maxSendQueueSize);
		map.from(this.reconnect.enabled()).to(builder::reconnectEnabled);
		map.from(this.reconnect.maxAttempts()).to(builder::reconnectMaxAttempts);
		map.from(this.reconnect.backoffBase()).to(builder::reconnectBackoffBase);
		map.from(this.reconnect.backoffMax()).to(builder::reconnectBackoffMax);
		map.from(this.reconnect.jitter()).to(builder::reconnectJitter);
		return builder.build();
	}

	/**
	 * Returns the connection manager settings these properties describe.
	 * @return the settings
	 */
	public ConnectionManagerSettings toConnectionManagerSettings() {
		ConnectionManagerSettings.Builder builder = ConnectionManagerSettings.builder();
		PropertyMapper map = PropertyMapper.get();
		map.from(this.outboundQueueLimit).to(builder::outboundQueueLimit);
		map.from(this.outboundQueueBytes).as(DataSize::toBytes).to(builder::outboundQueueBytes);
		map.from(this.outboundMaxDelay).to(builder::outboundMaxDelay);
		map.from(this.slowConsumerPolicy).to(builder::slowConsumerPolicy);
		map.from(this.maxConnectionsPerUser).to(builder::maxConnectionsPerUser);
		map.from(this.closeTimeout).to(builder::closeTimeout);
		map.from(this.writerThreads).when((threads) -> threads > 0).to(builder::writerThreads);
		map.from(this.writeStallThreshold).to(builder::writeStallThreshold);
		map.from(this.roomNotices).to(builder::roomNotices);
		return builder.build();
	}

	/**
	 * Returns the keepalive ping interval of the server.
	 * @return the interval, or {@code null} when keepalive pings are disabled
	 */
	public @Nullable Duration keepaliveInterval() {
		return this.pingInterval.isZero() ? null : this.pingInterval;
	}

	/**
	 * Reconnection of the client.
	 *
	 * @param enabled Whether a dropped connection is re-established.
	 * @param maxAttempts Failed attempts in a row after which reconnection gives up, 0
	 * for unlimited.
	 * @param backoffBase Base of the exponential backoff between attempts. If a duration
	 * suffix is not specified, seconds will be used.
	 * @param backoffMax Cap of the exponential backoff. If a duration suffix is not
	 * specified, seconds will be used.
	 * @param jitter Factor between 0 and 1 by which each backoff varies randomly.
	 */
	public record Reconnect(@DefaultValue("true") boolean enabled, @DefaultValue("5") int maxAttempts,
			@DefaultValue("1s") @DurationUnit(ChronoUnit.SECONDS) Duration backoffBase,
			@DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration backoffMax,
			@DefaultValue("0.1") double jitter) {

		public Reconnect {
			Checks.notNegative("ws.reconnect.max-attempts", maxAttempts);
			Checks.positive("ws.reconnect.backoff-base", backoffBase);
			Checks.positive("ws.reconnect.backoff-max", backoffMax);
			Checks.check("ws.reconnect.backoff-max", backoffMax, backoffMax.compareTo(backoffBase) >= 0,
					"must not be less than ws.reconnect.backoff-base (" + backoffBase + ")");
			Checks.check("ws.reconnect.jitter", jitter, jitter >= 0 && jitter <= 1, "must be between 0 and 1");
		}

	}

	/**
	 * Authentication of handshakes.
	 *
	 * @param tokenQueryParameter Query parameter that carries a JWT.
	 * @param apiKey API keys, for endpoints with the PROTECTED policy.
	 * @param jwt Validation of JWTs.
	 */
	public record Auth(@DefaultValue("token") String tokenQueryParameter, @DefaultValue ApiKey apiKey,
			@DefaultValue Jwt jwt) {

	}

	/**
	 * API keys, checked by the application's {@code WsApiKeyAuthenticator} bean.
	 *
	 * @param header Request header that carries an API key.
	 * @param queryParameter Query parameter that carries an API key.
	 */
	public record ApiKey(@DefaultValue("X-API-Key") String header, @DefaultValue("api_key") String queryParameter) {

	}

	/**
	 * Validation of JWTs. When none of secret, public-key-location, jwk-set-uri and
	 * issuer-uri is set, the application's own JwtDecoder bean is used, if it has one.
	 *
	 * @param secret HMAC secret that signs the tokens, at least 32 bytes for HS256.
	 * @param publicKeyLocation Location of the PEM-encoded RSA public key that verifies
	 * the tokens.
	 * @param jwkSetUri URI of the JSON Web Key Set that verifies the tokens.
	 * @param issuerUri Issuer the tokens must carry in their "iss" claim; alone, also the
	 * OpenID Connect discovery location of the keys.
	 * @param audiences Audiences of which a token's "aud" claim must contain at least
	 * one; empty for no audience check.
	 * @param jwsAlgorithms Signature algorithms accepted; HS256 for a secret and RS256
	 * otherwise when empty.
	 * @param clockSkew Tolerance on the expiry, not-before and issued-at claims, at the
	 * handshake and on open connections. If a duration suffix is not specified, seconds
	 * will be used.
	 * @param claims Claim names of the principal's attributes.
	 * @param allowMissingExpiration Whether to accept tokens without an "exp" claim, at
	 * the handshake and on refresh; their connections never expire.
	 * @param allowFutureIssuedAt Whether to accept tokens whose "iat" claim lies further
	 * in the future than the clock skew, at the handshake and on refresh.
	 */
	public record Jwt(@Nullable String secret, @Nullable Resource publicKeyLocation, @Nullable String jwkSetUri,
			@Nullable String issuerUri, @DefaultValue List<String> audiences, @DefaultValue List<String> jwsAlgorithms,
			@DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration clockSkew, @DefaultValue Claims claims,
			@DefaultValue("false") boolean allowMissingExpiration, @DefaultValue("false") boolean allowFutureIssuedAt) {

		public Jwt {
			Checks.notNegative("ws.auth.jwt.clock-skew", clockSkew);
			audiences = List.copyOf(audiences);
			jwsAlgorithms = List.copyOf(jwsAlgorithms);
		}

	}

	/**
	 * Claim names of the principal's attributes.
	 *
	 * @param id Claim holding the user id.
	 * @param email Claim holding the email address.
	 * @param scopes Claims holding the scopes, as a space-separated string or a list; the
	 * first one present is used.
	 */
	public record Claims(@DefaultValue("sub") String id, @DefaultValue("email") String email, @DefaultValue( {
			"scope", "scp" }) List<String> scopes){

		public Claims {
			scopes = List.copyOf(scopes);
		}

	}

	/**
	 * Graceful shutdown.
	 *
	 * @param drainPeriod Time over which connections are closed in batches when the
	 * application stops, bounded by half of spring.lifecycle.timeout-per-shutdown-phase;
	 * 0 closes them all at once. If a duration suffix is not specified, seconds will be
	 * used.
	 * @param batchSize Maximum number of connections closed in one batch.
	 */
	public record Shutdown(@DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration drainPeriod,
			@DefaultValue("500") int batchSize) {

		public Shutdown {
			Checks.notNegative("ws.shutdown.drain-period", drainPeriod);
			Checks.positive("ws.shutdown.batch-size", batchSize);
		}

	}

	/**
	 * Memory settings of Tomcat's WebSocket implementation. ws-infra receives messages in
	 * parts and assembles them itself up to the maximum message size, so these buffers
	 * bound the memory of every connection, not the size of messages.
	 *
	 * @param messageBufferSize Message buffers of each session of ws-infra's endpoints,
	 * which receive messages in parts and assemble them; also the WebSocket container's
	 * default when the application has no WebSocket endpoints of its own. When not set,
	 * 1KB.
	 * @param socketBufferSize Read and write buffers of each connection of the HTTP
	 * connector, 0 to keep Tomcat's.
	 * @param defaultBufferSize Value of Tomcat's JVM-wide
	 * "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE" system property, set before
	 * Tomcat's WebSocket classes load unless it is already set: the read and write
	 * buffers of every WebSocket connection, and the default message buffer size of
	 * Tomcat's WebSocket containers, which ws-infra sets back to 8KB for the
	 * application's own server endpoints. 0 to leave the property alone.
	 */
	public record Tomcat(@Nullable DataSize messageBufferSize, @DefaultValue("1KB") DataSize socketBufferSize,
			@DefaultValue("1KB") DataSize defaultBufferSize) {

		public Tomcat {
			if (messageBufferSize != null) {
				Checks.check("ws.tomcat.message-buffer-size", messageBufferSize,
						messageBufferSize.toBytes() >= 16 && messageBufferSize.toBytes() <= Integer.MAX_VALUE,
						"must be at least 16B");
			}
			Checks.check("ws.tomcat.socket-buffer-size", socketBufferSize, validBuffer(socketBufferSize),
					"must be 0 or at least 16B");
			Checks.check("ws.tomcat.default-buffer-size", defaultBufferSize, validBuffer(defaultBufferSize),
					"must be 0 or at least 16B");
		}

		private static boolean validBuffer(DataSize size) {
			return size.toBytes() == 0 || (size.toBytes() >= 16 && size.toBytes() <= Integer.MAX_VALUE);
		}

	}

	/**
	 * Integration with the application's Spring Security.
	 *
	 * @param filterChain Whether to add a Spring Security filter chain that lets
	 * handshakes to ws-infra's endpoints through to ws-infra's own authentication, when
	 * the application uses Spring Security's web security.
	 */
	public record Security(@DefaultValue("true") boolean filterChain) {

	}

	private static final class Checks {

		static void positive(String key, Duration value) {
			check(key, value, !value.isNegative() && !value.isZero(), "must be a positive duration");
		}

		static void notNegative(String key, Duration value) {
			check(key, value, !value.isNegative(), "must not be negative");
		}

		static void positive(String key, int value) {
			check(key, value, value > 0, "must be greater than 0");
		}

		static void notNegative(String key, int value) {
			check(key, value, value >= 0, "must be 0 or more");
		}

		static void check(String key, Object value, boolean valid, String rule) {
			if (!valid) {
				throw new IllegalArgumentException(key + " " + rule + ", was " + value);
			}
		}

	}

}
