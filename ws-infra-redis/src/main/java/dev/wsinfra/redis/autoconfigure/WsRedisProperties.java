package dev.wsinfra.redis.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import dev.wsinfra.redis.RedisConnectionManagerOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Settings of the Redis-backed connection manager, under {@code ws.redis}. The connection
 * itself is Spring Boot's, from {@code spring.data.redis.*}.
 *
 * @param enabled Whether the connection manager is the Redis-backed one, shared by every
 * instance through Redis
 * @param keyPrefix Prefix of every Redis key and channel the module uses; on Redis
 * Cluster use a hash tag such as "{ws}:"
 * @param instanceId Id of this instance, unique in the cluster; when not set,
 * "ws.instance-id", else generated from the host name
 * @param presenceTtl How long presence survives without a heartbeat; an instance that
 * dies without cleanup drops out of presence and rooms within it. If a duration suffix is
 * not specified, seconds will be used
 * @param presenceGracePeriod How long a user whose last connection closed stays online
 * before leaving, so that a quick reconnect or a rolling deploy does not flap them
 * offline. If a duration suffix is not specified, seconds will be used
 * @param commandTimeout How long to wait for a Redis reply before delivering locally only
 * until Redis answers again. If a duration suffix is not specified, seconds will be used
 * @param inboundQueueLimit Maximum number of messages from Redis waiting for local
 * delivery; past it they are dropped, counted, and rooms and persistent streams are
 * repaired from Redis
 * @param stream Persistent streams
 * @since 0.1.0
 */
@ConfigurationProperties("ws.redis")
public record WsRedisProperties(@DefaultValue("false") boolean enabled, @DefaultValue("ws:") String keyPrefix,
		@Nullable String instanceId, @DefaultValue("60s") @DurationUnit(ChronoUnit.SECONDS) Duration presenceTtl,
		@DefaultValue("0s") @DurationUnit(ChronoUnit.SECONDS) Duration presenceGracePeriod,
		@DefaultValue("2s") @DurationUnit(ChronoUnit.SECONDS) Duration commandTimeout,
		@DefaultValue("100000") int inboundQueueLimit, @DefaultValue Stream stream) {

	/**
	 * Returns the manager options these properties describe.
	 * @return the options
	 */
	public RedisConnectionManagerOptions toOptions() {
		return toOptions(null);
	}

	/**
	 * Returns the manager options these properties describe.
	 * @param fallbackInstanceId the instance id to use when {@code instanceId} is not
	 * set, such as the starter's {@code ws.instance-id}, or {@code null} to generate one
	 * @return the options
	 */
	public RedisConnectionManagerOptions toOptions(@Nullable String fallbackInstanceId) {
		String id = (this.instanceId != null && !this.instanceId.isBlank()) ? this.instanceId : fallbackInstanceId;
		return RedisConnectionManagerOptions.builder()
			.keyPrefix(this.keyPrefix)
			.instanceId((id != null && !id.isBlank()) ? id : null)
			.presenceTtl(this.presenceTtl)
			.presenceGracePeriod(this.presenceGracePeriod)
			.commandTimeout(this.commandTimeout)
			.inboundQueueLimit(this.inboundQueueLimit)
			.streamMaxLength(this.stream.maxLength())
			.streamTtl(this.stream.ttl())
			.maxRecoveryPositions(this.stream.maxRecoveryPositions())
			.build();
	}

	/**
	 * Persistent streams.
	 *
	 * @param maxLength Maximum number of entries a stream keeps; older ones are trimmed,
	 * and a client further behind than this cannot recover
	 * @param ttl How long a stream lives after its last append; 0 keeps streams, capped,
	 * for ever. If a duration suffix is not specified, seconds will be used
	 * @param maxRecoveryPositions Maximum number of streams a reconnecting client may
	 * recover in one handshake or recover call; positions for further streams are
	 * answered "recovered: false" without reading Redis
	 */
	public record Stream(@DefaultValue("10000") int maxLength,
			@DefaultValue("0s") @DurationUnit(ChronoUnit.SECONDS) Duration ttl,
			@DefaultValue("16") int maxRecoveryPositions) {

	}

}
