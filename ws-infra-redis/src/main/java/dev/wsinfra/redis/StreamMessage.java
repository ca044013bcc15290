package dev.wsinfra.redis;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a persistent stream, as {@link RedisConnectionManager#getMessageHistory}
 * returns it.
 *
 * @param id the Redis stream id
 * @param position the entry's position, the token clients receive with it
 * @param data the message as JSON (a string message is a JSON string)
 * @param excludeUser the user the message was not meant for, if any
 * @since 0.1.0
 */
public record StreamMessage(String id, StreamPosition position, JsonNode data, @Nullable String excludeUser) {

}
