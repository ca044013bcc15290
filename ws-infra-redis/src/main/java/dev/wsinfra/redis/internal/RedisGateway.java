package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

/**
 * The command connection of a manager: one Lettuce connection shared by every thread, so
 * commands reach Redis in the order they were issued, with a bounded wait for each reply.
 * Failures surface as Spring's {@link DataAccessException}s.
 */
public final class RedisGateway {

	private final StatefulRedisConnection<String, String> connection;

	private final Duration timeout;

	public RedisGateway(StatefulRedisConnection<String, String> connection, Duration timeout) {
		this.connection = connection;
		this.timeout = timeout;
	}

	public RedisAsyncCommands<String, String> async() {
		return this.connection.async();
	}

	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Runs a script without waiting. Scripts are always sent with {@code EVAL} (Redis caches
	 * the compiled script), so they keep their order with other commands even after a Redis
	 * restart emptied the script cache.
	 */
	public <T> CompletableFuture<T> evalAsync(LuaScript script, String[] keys, String... args) {
		return this.connection.async().<T>eval(script.source(), script.outputType(), keys, args).toCompletableFuture();
	}

	/**
	 * Runs a script and waits for its reply.
	 * @throws DataAccessException when Redis does not answer in time or fails
	 */
	public <T> T eval(LuaScript script, String[] keys, String... args) {
		return await(evalAsync(script, keys, args), script.name());
	}

	/**
	 * Waits a bounded time for a reply.
	 * @throws DataAccessException when Redis does not answer in time or fails
	 */
	public <T> T await(CompletionStage<T> reply, String what) {
		try {
			return reply.toCompletableFuture().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while waiting for Redis (" + what + ")", ex);
		}
		catch (TimeoutException ex) {
			throw new QueryTimeoutException("Redis did not answer " + what + " within " + this.timeout, ex);
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause(), what);
		}
	}

	public static DataAccessException translate(Throwable failure, String what) {
		if (failure instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		if (failure instanceof RedisCommandTimeoutException) {
			return new QueryTimeoutException("Redis timed out on " + what, failure);
		}
		if (failure instanceof RedisConnectionException || !(failure instanceof RedisException)) {
			return new RedisConnectionFailureException("Redis unreachable for " + what + ": " + failure.getMessage(),
					failure);
		}
		return new RedisSystemException("Redis failed on " + what + ": " + failure.getMessage(), failure);
	}

	public void close() {
		this.connection.close();
	}

}
