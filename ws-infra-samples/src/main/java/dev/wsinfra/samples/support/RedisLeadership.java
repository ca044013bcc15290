package dev.wsinfra.samples.support;

import java.time.Duration;
import java.util.List;

import dev.wsinfra.server.DistributedConnectionManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link Leadership} through a lease in Redis: one key per task holding the leader's
 * instance id with a time to live, set if absent or extended by its holder, in one
 * script. When Redis does not answer, nobody leads; while the connection manager knows
 * Redis is down, nobody even asks, so that the scheduler's thread (and a shutdown, which
 * waits for it) is not held for a command timeout on every run.
 */
class RedisLeadership implements Leadership {

	private static final Log logger = LogFactory.getLog(RedisLeadership.class);

	private static final RedisScript<Long> LEAD = RedisScript.of("""
			local holder = redis.call('GET', KEYS[1])
			if holder == ARGV[1] then
				redis.call('PEXPIRE', KEYS[1], ARGV[2])
				return 1
			end
			if holder then
				return 0
			end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	private final DistributedConnectionManager manager;

	RedisLeadership(StringRedisTemplate redis, String prefix, DistributedConnectionManager manager) {
		this.redis = redis;
		this.prefix = prefix;
		this.manager = manager;
	}

	@Override
	public boolean lead(String task, Duration lease) {
		if (!this.manager.isBackendAvailable()) {
			return false;
		}
		try {
			Long led = this.redis.execute(LEAD, List.of(this.prefix + "leader:" + task), this.manager.instanceId(),
					Long.toString(lease.toMillis()));
			return led != null && led == 1L;
		}
		catch (DataAccessException ex) {
			logger.debug("Redis did not answer; not leading " + task, ex);
			return false;
		}
	}

}
