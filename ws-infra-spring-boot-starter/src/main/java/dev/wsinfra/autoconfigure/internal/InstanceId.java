package dev.wsinfra.autoconfigure.internal;

import java.util.Locale;
import java.util.UUID;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.DistributedConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The id of this instance in metrics, health and logs: the connection manager's own when
 * it is distributed, else the configured one, else the host name with a random suffix.
 *
 * @param value the id
 */
public record InstanceId(String value) {

	/**
	 * Resolves the instance id.
	 * @param manager the connection manager
	 * @param configured the configured id, if any
	 * @param hostName the host name, if known
	 * @return the instance id
	 */
	public static InstanceId resolve(ConnectionManager manager, @Nullable String configured,
			@Nullable String hostName) {
		if (manager instanceof DistributedConnectionManager distributed) {
			return new InstanceId(distributed.instanceId());
		}
		if (StringUtils.hasText(configured)) {
			return new InstanceId(configured);
		}
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String prefix = StringUtils.hasText(hostName) ? hostName.toLowerCase(Locale.ROOT) : "ws";
		return new InstanceId(prefix + "-" + suffix);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
