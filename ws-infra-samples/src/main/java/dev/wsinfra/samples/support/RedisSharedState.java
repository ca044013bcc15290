package dev.wsinfra.samples.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link SharedState} in Redis, one JSON string per key under a prefix, with optimistic
 * updates: read the key, apply the change, and write the new value with a script that
 * compares and sets; when another instance wrote the key in between, the script writes
 * nothing and the change is computed again on the new value. The script touches one key,
 * so the store works on a standalone Redis and on a Redis Cluster alike (a cluster
 * connection has no {@code WATCH}).
 */
class RedisSharedState implements SharedState {

	private static final int MAX_ATTEMPTS = 100;

	// ARGV: whether the key was present, its value then, the new value ('' deletes
	// it), the time to live in milliseconds
	private static final RedisScript<Long> COMPARE_AND_SET = RedisScript.of("""
			local current = redis.call('GET', KEYS[1])
			if ARGV[1] == '1' then
			  if current ~= ARGV[2] then return 0 end
			elseif current then
			  return 0
			end
			if ARGV[3] == '' then
			  redis.call('DEL', KEYS[1])
			else
			  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
			end
			return 1
			""", Long.class);

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
			String json = this.redis.opsForValue().get(redisKey);
			Change<S, R> applied = change.apply((json != null) ? this.jsonMapper.readValue(json, type) : null);
			if (!applied.write()) {
				return applied.result();
			}
			S value = applied.value();
			String written = (value != null) ? this.jsonMapper.writeValueAsString(value) : "";
			Long set = this.redis.execute(COMPARE_AND_SET, List.of(redisKey), (json != null) ? "1" : "0",
					(json != null) ? json : "", written, Long.toString(Math.max(1, ttl.toMillis())));
			if (set != null && set == 1) {
				return applied.result();
			}
		}
		throw new IllegalStateException(
				"Gave up updating " + key + " after " + MAX_ATTEMPTS + " attempts: other instances kept changing it");
	}

}
