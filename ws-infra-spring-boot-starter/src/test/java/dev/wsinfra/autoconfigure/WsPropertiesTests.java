package dev.wsinfra.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.SlowConsumerPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WsPropertiesTests {

	private static WsProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("ws", WsProperties.class);
	}

	@Test
	void defaultsMatchCoreDefaults() {
		WsProperties properties = bind(Map.of());
		assertThat(properties.toWebSocketConfig()).isEqualTo(WebSocketConfig.defaults());
		ConnectionManagerSettings settings = properties.toConnectionManagerSettings();
		ConnectionManagerSettings defaults = ConnectionManagerSettings.defaults();
		assertThat(settings.outboundQueueLimit()).isEqualTo(defaults.outboundQueueLimit());
		assertThat(settings.outboundQueueBytes()).isEqualTo(defaults.outboundQueueBytes());
		assertThat(settings.outboundMaxDelay()).isEqualTo(defaults.outboundMaxDelay());
		assertThat(settings.slowConsumerPolicy()).isEqualTo(defaults.slowConsumerPolicy());
		assertThat(settings.maxConnectionsPerUser()).isEqualTo(defaults.maxConnectionsPerUser());
		assertThat(settings.closeTimeout()).isEqualTo(WebSocketConfig.DEFAULT_CLOSE_TIMEOUT)
			.isEqualTo(defaults.closeTimeout());
		assertThat(settings.writerThreads()).isEqualTo(defaults.writerThreads());
		assertThat(settings.writeStallThreshold()).isEqualTo(defaults.writeStallThreshold());
	}

	@Test
	void toWebSocketConfigMapsEverySeedKey() {
		WsProperties properties = bind(
				Map.ofEntries(Map.entry("ws.open-timeout", "3"), Map.entry("ws.close-timeout", "4s"),
						Map.entry("ws.ping-interval", "5"), Map.entry("ws.ping-timeout", "6"),
						Map.entry("ws.max-message-size", "2MB"), Map.entry("ws.max-queue-size", "7"),
						Map.entry("ws.max-send-queue-size", "9"), Map.entry("ws.reconnect.enabled", "false"),
						Map.entry("ws.reconnect.max-attempts", "0"), Map.entry("ws.reconnect.backoff-base", "500ms"),
						Map.entry("ws.reconnect.backoff-max", "30"), Map.entry("ws.reconnect.jitter", "0.5")));
		WebSocketConfig config = properties.toWebSocketConfig();
		assertThat(config.openTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(config.pingInterval()).contains(Duration.ofSeconds(5));
		assertThat(config.pingTimeout()).isEqualTo(Duration.ofSeconds(6));
		assertThat(config.maxMessageSize()).isEqualTo(2 * 1024 * 1024);
		assertThat(config.maxQueueSize()).isEqualTo(7);
		assertThat(config.maxSendQueueSize()).isEqualTo(9);
		assertThat(config.reconnectEnabled()).isFalse();
		assertThat(config.reconnectMaxAttempts()).isZero();
		assertThat(config.reconnectBackoffBase()).isEqualTo(Duration.ofMillis(500));
		assertThat(config.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.reconnectJitter()).isEqualTo(0.5);
	}

	@Test
	void pingIntervalZeroDisablesPings() {
		WsProperties properties = bind(Map.of("ws.ping-interval", "0"));
		assertThat(properties.toWebSocketConfig().pingInterval()).isEmpty();
		assertThat(properties.keepaliveInterval()).isNull();
	}

	@Test
	void serverSettingsMapToConnectionManagerSettings() {
		ConnectionManagerSettings settings = bind(Map.of("ws.outbound-queue-limit", "8", "ws.slow-consumer-policy",
				"drop-oldest", "ws.max-connections-per-user", "2", "ws.close-timeout", "1500ms", "ws.writer-threads",
				"3", "ws.write-stall-threshold", "250ms", "ws.outbound-queue-bytes", "256KB", "ws.outbound-max-delay",
				"5"))
			.toConnectionManagerSettings();
		assertThat(settings.outboundQueueBytes()).isEqualTo(256 * 1024);
		assertThat(settings.outboundMaxDelay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.writerThreads()).isEqualTo(3);
		assertThat(settings.writeStallThreshold()).isEqualTo(Duration.ofMillis(250));
		assertThat(settings.outboundQueueLimit()).isEqualTo(8);
		assertThat(settings.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP_OLDEST);
		assertThat(settings.maxConnectionsPerUser()).isEqualTo(2);
		assertThat(settings.closeTimeout()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void invalidValueFailsNamingTheKey() {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("ws.reconnect.jitter", "1.5")))
			.havingRootCause()
			.withMessage("ws.reconnect.jitter must be between 0 and 1, was 1.5");
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("ws.max-connections-per-user", "-1")))
			.havingRootCause()
			.withMessage("ws.max-connections-per-user must be 0 or more, was -1");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("ws.open-timeout", "0")))
			.havingRootCause()
			.withMessage("ws.open-timeout must be a positive duration, was PT0S");
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("ws.reconnect.backoff-base", "10", "ws.reconnect.backoff-max", "5")))
			.havingRootCause()
			.withMessageStartingWith("ws.reconnect.backoff-max must not be less than ws.reconnect.backoff-base");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("ws.outbound-queue-bytes", "0")))
			.havingRootCause()
			.withMessage("ws.outbound-queue-bytes must be at least 1B, was 0B");
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("ws.outbound-max-delay", "-1")))
			.havingRootCause()
			.withMessage("ws.outbound-max-delay must not be negative, was PT-1S");
	}

}
