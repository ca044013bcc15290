package dev.wsinfra.redis;

import tools.jackson.databind.JsonNode;

/**
 * A task of a {@link RedisConsumerManager}.
 *
 * @param id the stream id of the task
 * @param payload the task as JSON
 * @param deliveryCount how many times the task was handed to a consumer, this time
 * included
 * @since 0.1.0
 */
public record RedisTask(String id, JsonNode payload, long deliveryCount) {

}
