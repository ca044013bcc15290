/**
 * Auto-configuration of the Redis-backed connection manager, enabled by
 * {@code ws.redis.enabled=true}.
 */
@NullMarked
package dev.wsinfra.redis.autoconfigure;

import org.jspecify.annotations.NullMarked;
