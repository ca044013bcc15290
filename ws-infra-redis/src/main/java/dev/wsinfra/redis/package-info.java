/**
 * Redis-backed scaling: the {@link dev.wsinfra.redis.RedisConnectionManager} that makes
 * many instances behave as one (pub/sub fan-out, rooms, presence, persistent streams with
 * connection state recovery) and the {@link dev.wsinfra.redis.RedisConsumerManager} that
 * spreads work over consumer groups.
 */
@NullMarked
package dev.wsinfra.redis;

import org.jspecify.annotations.NullMarked;
