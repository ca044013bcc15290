package dev.wsinfra.redis.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code ws.redis.enabled=true}, sets defaults for Spring Boot's Redis settings,
 * each overridden by any value the application sets.
 * <p>
 * Health: a Redis outage is a degraded state of the application's health rather than a
 * failure, as the seed's health check does: every instance keeps serving its own
 * connections, so a load balancer or orchestrator reading {@code /actuator/health} must
 * not take them all out at once:
 * <ul>
 * <li>{@code management.health.redis.enabled=false}: Spring Boot's own {@code redis}
 * indicator, DOWN during an outage (HTTP 503) and waiting a full command timeout when
 * Redis stalls, is off; ws-infra's {@code websocket} contributor reports Redis
 * reachability in a bounded time;</li>
 * <li>{@code management.endpoint.health.status.order} with {@code degraded} between
 * {@code out-of-service} and {@code up}, so that the aggregate says DEGRADED, answered
 * with HTTP 200.</li>
 * </ul>
 * Redis Cluster (used only with {@code spring.data.redis.cluster.nodes}): Lettuce
 * refreshes its view of the cluster on {@code MOVED} and {@code ASK} redirections and
 * after reconnections ({@code spring.data.redis.lettuce.cluster.refresh.adaptive=true})
 * and every 10 s ({@code spring.data.redis.lettuce.cluster.refresh.period=10s}), so that
 * commands follow failovers and slot migrations; Spring Boot's own defaults refresh
 * neither way.
 */
public class WsRedisDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The name of the property source holding the defaults, last in precedence. */
	public static final String PROPERTY_SOURCE_NAME = "wsInfraRedisDefaults";

	/** After the application's configuration files have been read. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("ws.redis.enabled", Boolean.class, false)) {
			return;
		}
		Map<String, Object> defaults = Map.of("management.health.redis.enabled", "false",
				"management.endpoint.health.status.order", "down,out-of-service,degraded,up,unknown",
				"spring.data.redis.lettuce.cluster.refresh.adaptive", "true",
				"spring.data.redis.lettuce.cluster.refresh.period", "10s");
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
