package dev.wsinfra.redis.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

/**
 * The command connection of a manager: one Lettuce connection shared by every thread, so
 * commands reach Redis in the order they were issued, with a bounded wait for each reply.
 * The connection is a standalone (or Sentinel) one or a Redis Cluster one, which routes
 * each command by its key's slot; both are used through their common asynchronous
 * commands. Failures surface as Spring's {@link DataAccessException}s.
 */
public final class RedisGateway {

	private final StatefulConnection<String, String> connection;

	private final RedisClusterAsyncCommands<String, String> commands;

	private final Duration timeout;

	public RedisGateway(StatefulRedisConnection<String, String> connection, Duration timeout) {
		this(connection, connection.async(), timeout);
	}

	public RedisGateway(StatefulRedisClusterConnection<String, String> connection, Duration timeout) {
		this(connection, connection.async(), timeout);
	}

	private RedisGateway(StatefulConnection<String, String> connection,
			RedisClusterAsyncCommands<String, String> commands, Duration timeout) {
		this.connection = connection;
		this.commands = commands;
		this.timeout = timeout;
	}

	public RedisClusterAsyncCommands<String, String> async() {
		return this.commands;
	}

	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Caches scripts in Redis ({@code SCRIPT LOAD}), so that {@link #evalAsync} finds
	 * them.
	 * @throws DataAccessException when Redis does not answer in time or fails
	 */
	public void load(List<LuaScript> scripts) {
		List<CompletableFuture<String>> loaded = new ArrayList<>(scripts.size());
		for (LuaScript script : scripts) {
			loaded.add(this.commands.scriptLoad(script.source()).toCompletableFuture());
		}
		await(CompletableFuture.allOf(loaded.toArray(CompletableFuture[]::new)), "script load");
	}

	/**
	 * Runs a script without waiting, by its digest ({@code EVALSHA}). When Redis no
	 * longer has it ({@code NOSCRIPT}: a restart or a {@code SCRIPT FLUSH} emptied its
	 * cache) the script is sent again with {@code EVAL}, which caches it. That retry
	 * leaves when the NOSCRIPT reply arrives, so it can run after commands issued later
	 * on this connection: callers that need two commands in order wait for the first
	 * reply before sending the second, as every caller in this module does.
	 */
	public <T> CompletableFuture<T> evalAsync(LuaScript script, String[] keys, String... args) {
		RedisClusterAsyncCommands<String, String> commands = this.commands;
		return commands.<T>evalsha(script.sha1(), script.outputType(), keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((failure) -> isNoScript(failure)
					? commands.<T>eval(script.source(), script.outputType(), keys, args).toCompletableFuture()
					: CompletableFuture.failedFuture(failure));
	}

	private static boolean isNoScript(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
		return cause instanceof RedisNoScriptException
				|| (cause != null && String.valueOf(cause.getMessage()).startsWith("NOSCRIPT"));
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
