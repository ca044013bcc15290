package dev.wsinfra.redis;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What a manager believes about Redis: whether the last call got through, and whether Redis
 * may be missing something this instance holds. While unavailable, the manager skips Redis
 * and works locally; the heartbeat notices when Redis answers again and a resync clears the
 * dirty flag.
 */
final class RedisHealth {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final String instanceId;

	private volatile boolean available;

	private volatile boolean dirty;

	RedisHealth(String instanceId) {
		this.instanceId = instanceId;
	}

	boolean isAvailable() {
		return this.available;
	}

	/**
	 * Records that Redis answered.
	 * @return whether it had been unavailable
	 */
	boolean available() {
		if (this.available) {
			return false;
		}
		this.available = true;
		return true;
	}

	void unavailable(Throwable failure) {
		if (this.available) {
			this.available = false;
			logger.warn("Redis unavailable for instance " + this.instanceId
					+ "; delivering locally until it answers again: " + failure.getMessage());
		}
	}

	boolean isDirty() {
		return this.dirty;
	}

	/** Records that Redis may miss something this instance holds. */
	void dirty() {
		this.dirty = true;
	}

	void clean() {
		this.dirty = false;
	}

}
