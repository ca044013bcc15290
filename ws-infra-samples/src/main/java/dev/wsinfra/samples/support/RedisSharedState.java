package dev.wsinfra.samples.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link SharedState} in Redis, one JSON string per key under a prefix, with optimistic
 * transactions: {@code WATCH} the key, read it, apply the change, and write it in
 * {@code MULTI}/{@code EXEC}; when another instance wrote the key in between,
 * {@code EXEC} fails and the change is computed again on the new value.
 */
class RedisSharedState implements SharedState {

	private static final int MAX_ATTEMPTS = 100;

	private final StringRedisTemplate redis;

	private final JsonMapper jsonMapper;

	private final String prefix;

	RedisSharedState(StringRedisTemplate redis, JsonMapper jsonMapper, String prefix) {
		this.redis = redis;
		this.jsonMapper = jsonMapper;
		this.prefix = prefix;
	}

	@Override
	public <S> Optional<S> read(String key, Class<S> type) {
		String json = this.redis.opsForValue().get(this.prefix + key);
		return (json != null) ? Optional.of(this.jsonMapper.readValue(json, type)) : Optional.empty();
	}

	@Override
	public <S, R> R update(String key, Class<S> type, Duration ttl, Function<@Nullable S, Change<S, R>> change) {
		String redisKey = this.prefix + key;
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			Attempt<R> outcome = this.redis.execute(new SessionCallback<Attempt<R>>() {

				@Override
				public <K, V> Attempt<R> execute(RedisOperations<K, V> operations) {
					@SuppressWarnings("unchecked")
					RedisOperations<String, String> ops = (RedisOperations<String, String>) operations;
					return attempt(ops, redisKey, type, ttl, change);
				}

			});
			if (outcome != null && outcome.committed()) {
				return outcome.result();
			}
		}
		throw new IllegalStateException(
				"Gave up updating " + key + " after " + MAX_ATTEMPTS + " attempts: other instances kept changing it");
	}

	private <S, R> Attempt<R> attempt(RedisOperations<String, String> ops, String redisKey, Class<S> type, Duration ttl,
			Function<@Nullable S, Change<S, R>> change) {
		ops.watch(redisKey);
		String json = ops.opsForValue().get(redisKey);
		S current = (json != null) ? this.jsonMapper.readValue(json, type) : null;
		Change<S, R> applied;
		try {
			applied = change.apply(current);
		}
		catch (RuntimeException ex) {
			ops.unwatch();
			throw ex;
		}
		if (!applied.write()) {
			ops.unwatch();
			return new Attempt<>(true, applied.result());
		}
		S value = applied.value();
		ops.multi();
		if (value != null) {
			ops.opsForValue().set(redisKey, this.jsonMapper.writeValueAsString(value), ttl);
		}
		else {
			ops.delete(redisKey);
		}
		List<Object> results = ops.exec();
		return new Attempt<>(results != null && !results.isEmpty(), applied.result());
	}

	private record Attempt<R>(boolean committed, R result) {

	}

}
