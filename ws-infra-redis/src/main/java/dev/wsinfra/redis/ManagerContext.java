package dev.wsinfra.redis;

import java.util.Objects;

import dev.wsinfra.redis.internal.Envelopes;
import dev.wsinfra.redis.internal.Payload;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.RoomAuthorizer;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a manager keeps for its whole life, which each run shares: settings and options,
 * the wire format, the local manager that writes to connections, what is known of Redis's
 * health, the application's listeners and the counts.
 *
 * @param settings the connection manager settings
 * @param options the Redis options
 * @param envelopes the wire format
 * @param jsonMapper the mapper for messages that are neither text nor binary
 * @param local the in-memory manager that writes to this instance's connections
 * @param health what is known of Redis
 * @param hooks the application's listeners
 * @param statistics the counts the manager reports
 */
record ManagerContext(ConnectionManagerSettings settings, RedisConnectionManagerOptions options, Envelopes envelopes,
		JsonMapper jsonMapper, InMemoryConnectionManager local, RedisHealth health, ManagerHooks hooks,
		Statistics statistics) {

	static ManagerContext of(ConnectionManagerSettings settings, JsonMapper jsonMapper,
			RedisConnectionManagerOptions options) {
		Objects.requireNonNull(settings, "settings must not be null");
		Objects.requireNonNull(jsonMapper, "jsonMapper must not be null");
		Objects.requireNonNull(options, "options must not be null");
		// Joins are authorized and announced by the manager, once; the local one only
		// writes.
		InMemoryConnectionManager local = new InMemoryConnectionManager(
				settings.toBuilder().roomAuthorizer(RoomAuthorizer.ALLOW_ALL).roomNotices(false).build(), jsonMapper);
		return new ManagerContext(settings, options, new Envelopes(jsonMapper), jsonMapper, local,
				new RedisHealth(options.instanceId()), new ManagerHooks(), new Statistics());
	}

	String instanceId() {
		return this.options.instanceId();
	}

	/** Encodes a plain message for local delivery and for the other instances. */
	Payload payload(Object message) {
		return Payload.of(message, this.jsonMapper);
	}

}
