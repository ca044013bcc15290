package dev.wsinfra.redis;

/**
 * Does the work of one task of a {@link RedisConsumerManager}. Returning acknowledges the
 * task; throwing leaves it pending, to be delivered again once it has been idle for the
 * claim time, and moved to the dead-letter stream after the maximum number of deliveries.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TaskHandler {

	/**
	 * Handles a task.
	 * @param task the task
	 * @throws Exception to have the task delivered again
	 */
	void handle(RedisTask task) throws Exception;

}
