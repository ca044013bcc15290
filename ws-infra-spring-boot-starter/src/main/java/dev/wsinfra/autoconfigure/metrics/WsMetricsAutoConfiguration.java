package dev.wsinfra.autoconfigure.metrics;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.ConnectionManager;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of ws-infra's Micrometer meters, when the application has a
 * {@link MeterRegistry} (with Spring Boot's Prometheus registry they appear at
 * {@code /actuator/prometheus}). Works with any {@link ConnectionManager}: the meters
 * register as its connection and send listeners.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class WsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WsMetrics wsMetrics(MeterRegistry registry, ConnectionManager manager, InstanceId instanceId) {
		return new WsMetrics(registry, manager, instanceId);
	}

}
