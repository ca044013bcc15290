/**
 * Implementation details of the Redis module: key layout, Lua scripts, the command
 * gateway, subscriptions and payload codecs. Not API: may change without notice.
 */
@NullMarked
package dev.wsinfra.redis.internal;

import org.jspecify.annotations.NullMarked;
