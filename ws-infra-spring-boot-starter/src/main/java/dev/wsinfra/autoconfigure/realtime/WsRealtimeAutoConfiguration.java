package dev.wsinfra.autoconfigure.realtime;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.endpoint.WsEndpointAutoConfiguration;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.realtime.RealtimeClientPolicy;
import dev.wsinfra.realtime.RealtimeProvider;
import dev.wsinfra.realtime.RealtimeSessionConfig;
import dev.wsinfra.realtime.RealtimeSessionCustomizer;
import dev.wsinfra.realtime.RealtimeTool;
import dev.wsinfra.realtime.RealtimeUsageListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.glassfish.tyrus.client.ClientManager;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.WebSocketHandler;

/**
 * Auto-configuration of the realtime relay, when {@code ws.realtime.enabled=true}: an
 * endpoint at {@code ws.realtime.path} that pairs each browser connection with one
 * connection to the {@link RealtimeProvider} (OpenAI Realtime or Gemini Live, or the
 * application's own bean), with the service's session policy, the application's
 * {@link RealtimeTool} beans answering function calls, {@link RealtimeSessionCustomizer}
 * and {@link RealtimeUsageListener} beans, session limits, and meters when Micrometer is
 * there.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = WsAutoConfiguration.class, before = WsEndpointAutoConfiguration.class,
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBooleanProperty("ws.realtime.enabled")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketHandler.class, ClientManager.class })
@EnableConfigurationProperties(WsRealtimeProperties.class)
public final class WsRealtimeAutoConfiguration {

	/**
	 * The least size of a provider event the relay takes, whatever ws.max-message-size.
	 */
	private static final int MIN_PROVIDER_MESSAGE_SIZE = 16 * 1024 * 1024;

	@Bean
	@ConditionalOnMissingBean
	RealtimeProvider wsRealtimeProvider(WsRealtimeProperties properties) {
		return switch (properties.provider()) {
			case OpenAiRealtimeProvider.NAME -> new OpenAiRealtimeProvider();
			case GeminiLiveProvider.NAME -> new GeminiLiveProvider();
			default -> throw new IllegalStateException("ws.realtime.provider must be 'openai' or 'gemini', or the "
					+ "application must define a RealtimeProvider bean; was '" + properties.provider() + "'");
		};
	}

	@Bean
	@ConditionalOnMissingBean
	RelayLimits wsRealtimeLimits(WsRealtimeProperties properties) {
		return new RelayLimits(properties.maxSessionsPerInstance(), properties.maxSessionsPerUser());
	}

	@Bean
	@ConditionalOnMissingBean
	RealtimeRelayHandler wsRealtimeRelayHandler(RealtimeProvider provider, WsRealtimeProperties properties,
			WebSocketConfig config, Environment environment, ObjectProvider<RealtimeTool> tools,
			ObjectProvider<RealtimeSessionCustomizer> customizers, ObjectProvider<RealtimeUsageListener> listeners,
			ObjectProvider<JsonMapper> jsonMapper, RelayLimits limits, ObjectProvider<RelayObserver> observer) {
		RealtimeClientPolicy policy = new RealtimeClientPolicy(
				properties.allowedClientEvents().isEmpty() ? provider.defaultAllowedEvents()
						: Set.copyOf(properties.allowedClientEvents()),
				properties.allowedClientFields().isEmpty() ? provider.defaultAllowedFields()
						: Set.copyOf(properties.allowedClientFields()),
				properties.restrictedFields());
		RealtimeSessionConfig template = new RealtimeSessionConfig("template",
				(properties.model() != null) ? properties.model() : provider.defaultModel(), properties.voice(),
				properties.instructions(), tools.orderedStream().toList());
		String url = properties.url();
		Supplier<@Nullable URI> resolvedUrl = (url != null)
				? () -> URI.create(environment.resolveRequiredPlaceholders(url)) : () -> null;
		Relay relay = new Relay(provider, apiKey(properties, provider, environment), resolvedUrl, properties, policy,
				upstreamConfig(config, properties), template, customizers.orderedStream().toList(),
				listeners.orderedStream().toList(), observer.getIfAvailable(() -> RelayObserver.NONE), limits,
				jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		return new RealtimeRelayHandler(relay);
	}

	@Bean
	@ConditionalOnMissingBean(name = "wsRealtimeRoutes")
	WsRoutes wsRealtimeRoutes(RealtimeRelayHandler handler, WsRealtimeProperties properties) {
		// Unmanaged: the relay writes to the browser itself, through a queue that may
		// drop audio deltas, never through the connection manager's.
		return WsRoutes.builder()
			.auth(properties.auth())
			.scopes(properties.scopes().toArray(String[]::new))
			.managed(false)
			.route(properties.path(), handler)
			.build();
	}

	static String apiKey(WsRealtimeProperties properties, RealtimeProvider provider, Environment environment) {
		if (properties.apiKey() != null && !properties.apiKey().isBlank()) {
			return properties.apiKey();
		}
		String[] fallbacks = switch (provider.name()) {
			case OpenAiRealtimeProvider.NAME -> new String[] { "OPENAI_API_KEY" };
			case GeminiLiveProvider.NAME -> new String[] { "GEMINI_API_KEY", "GOOGLE_API_KEY" };
			default -> new String[0];
		};
		for (String name : fallbacks) {
			String value = environment.getProperty(name);
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		throw new IllegalStateException("The realtime relay needs a provider key: set ws.realtime.api-key "
				+ "(WS_REALTIME_API_KEY)" + ((fallbacks.length > 0) ? " or " + String.join(" or ", fallbacks) : ""));
	}

	/**
	 * The provider connection's settings: those of {@code ws.*}, with keepalive pings
	 * that find a stalled provider within the provider timeout, the provider queue size,
	 * room for large audio events, and no reconnection (a session has one connection).
	 */
	static WebSocketConfig upstreamConfig(WebSocketConfig config, WsRealtimeProperties properties) {
		Duration half = properties.providerTimeout().dividedBy(2);
		return config.toBuilder()
			.pingInterval(half)
			.pingTimeout(half)
			.maxSendQueueSize(properties.providerQueueSize())
			.maxMessageSize(Math.max(config.maxMessageSize(), MIN_PROVIDER_MESSAGE_SIZE))
			.reconnectEnabled(false)
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RelayMetrics wsRealtimeMetrics(MeterRegistry registry, RealtimeProvider provider,
				WsRealtimeProperties properties, InstanceId instanceId, RelayLimits limits) {
			return new RelayMetrics(registry, provider.name(), instanceId.value(), properties.metricsMaxUsers(), limits,
					RelayLimits::active);
		}

	}

}
