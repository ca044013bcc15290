package dev.wsinfra.config;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.wsinfra.config.internal.SeedVariable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebSocketConfigTests {

	@Test
	void defaultsAreTheSeedTable() {
		WebSocketConfig config = WebSocketConfig.defaults();
		assertThat(config.openTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.pingInterval()).contains(Duration.ofSeconds(20));
		assertThat(config.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(config.maxMessageSize()).isEqualTo(1_048_576);
		assertThat(config.maxQueueSize()).isEqualTo(16);
		assertThat(config.reconnectEnabled()).isTrue();
		assertThat(config.reconnectMaxAttempts()).isEqualTo(5);
		assertThat(config.reconnectBackoffBase()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(60));
		assertThat(config.reconnectJitter()).isEqualTo(0.1);
		assertThat(WebSocketConfig.fromEnv(Map.of())).isEqualTo(config);
	}

	static Stream<Arguments> seedVariables() {
		return Stream.of(row("WS_OPEN_TIMEOUT", "30.0", WebSocketConfig::openTimeout, Duration.ofSeconds(30)),
				row("WS_CLOSE_TIMEOUT", "2.5", WebSocketConfig::closeTimeout, Duration.ofMillis(2500)),
				row("WS_PING_INTERVAL", "10.0", WebSocketConfig::pingInterval,
						java.util.Optional.of(Duration.ofSeconds(10))),
				row("WS_PING_TIMEOUT", "5", WebSocketConfig::pingTimeout, Duration.ofSeconds(5)),
				row("WS_MAX_MESSAGE_SIZE", "16777216", WebSocketConfig::maxMessageSize, 16 * 1024 * 1024),
				row("WS_MAX_QUEUE_SIZE", "64", WebSocketConfig::maxQueueSize, 64),
				row("WS_RECONNECT_ENABLED", "false", WebSocketConfig::reconnectEnabled, false),
				row("WS_RECONNECT_MAX_ATTEMPTS", "10", WebSocketConfig::reconnectMaxAttempts, 10),
				row("WS_RECONNECT_BACKOFF_BASE", "0.5", WebSocketConfig::reconnectBackoffBase, Duration.ofMillis(500)),
				row("WS_RECONNECT_BACKOFF_MAX", "120.0", WebSocketConfig::reconnectBackoffMax, Duration.ofSeconds(120)),
				row("WS_RECONNECT_JITTER", "0.25", WebSocketConfig::reconnectJitter, 0.25));
	}

	private static Arguments row(String variable, String value, Function<WebSocketConfig, Object> accessor,
			Object expected) {
		return Arguments.of(variable, value, accessor, expected);
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("seedVariables")
	void fromEnvReadsEachSeedVariable(String variable, String value, Function<WebSocketConfig, Object> accessor,
			Object expected) {
		WebSocketConfig config = WebSocketConfig.fromEnv(Map.of(variable, value));
		assertThat(accessor.apply(config)).isEqualTo(expected);
	}

	@Test
	void seedTableHasElevenVariablesWithTheSeedNames() {
		assertThat(Stream.of(SeedVariable.values()).map(SeedVariable::envName)).containsExactly("WS_OPEN_TIMEOUT",
				"WS_CLOSE_TIMEOUT", "WS_PING_INTERVAL", "WS_PING_TIMEOUT", "WS_MAX_MESSAGE_SIZE", "WS_MAX_QUEUE_SIZE",
				"WS_RECONNECT_ENABLED", "WS_RECONNECT_MAX_ATTEMPTS", "WS_RECONNECT_BACKOFF_BASE",
				"WS_RECONNECT_BACKOFF_MAX", "WS_RECONNECT_JITTER");
		assertThat(seedVariables()).hasSize(SeedVariable.values().length);
	}

	@Test
	void pingIntervalNoneDisablesPings() {
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_PING_INTERVAL", "None")).pingInterval()).isEmpty();
		assertThat(WebSocketConfig.builder().pingInterval(null).build().pingInterval()).isEmpty();
		assertThat(WebSocketConfig.builder().pingInterval(Duration.ZERO).build().pingInterval()).isEmpty();
	}

	@ParameterizedTest // #14
	@ValueSource(strings = { "0", "0.0", " 0.000 ", "0s", "0ms", "PT0S" })
	void pingIntervalZeroDisablesPingsAsTheDocumentationSays(String value) {
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_PING_INTERVAL", value)).pingInterval()).isEmpty();
		assertThat(SeedVariable.PING_INTERVAL.toPropertyValue(value)).isEqualTo("0");
	}

	@Test // #14
	void pingIntervalBelowZeroIsStillRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_PING_INTERVAL", "-1.0")))
			.withMessageContaining("WS_PING_INTERVAL");
	}

	@Test
	void zeroMaxAttemptsMeansUnlimited() {
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_RECONNECT_MAX_ATTEMPTS", "0")).reconnectMaxAttempts()).isZero();
	}

	@Test
	void durationsAcceptUnitsAndIso() {
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_OPEN_TIMEOUT", "500ms")).openTimeout())
			.isEqualTo(Duration.ofMillis(500));
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_OPEN_TIMEOUT", "PT2S")).openTimeout())
			.isEqualTo(Duration.ofSeconds(2));
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_OPEN_TIMEOUT", " 1m ")).openTimeout())
			.isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void booleansAcceptTheUsualSpellings() {
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_RECONNECT_ENABLED", "0")).reconnectEnabled()).isFalse();
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_RECONNECT_ENABLED", "YES")).reconnectEnabled()).isTrue();
	}

	@Test
	void badValueNamesTheVariableAndTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_OPEN_TIMEOUT", "soon")))
			.withMessage(
					"Invalid value 'soon' for environment variable WS_OPEN_TIMEOUT: expected seconds such as 10.0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_RECONNECT_JITTER", "1.5")))
			.withMessage("Invalid value '1.5' for environment variable WS_RECONNECT_JITTER: must be between 0 and 1");
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_MAX_QUEUE_SIZE", "0")))
			.withMessageContaining("WS_MAX_QUEUE_SIZE")
			.withMessageContaining("'0'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_RECONNECT_MAX_ATTEMPTS", "-1")))
			.withMessageContaining("WS_RECONNECT_MAX_ATTEMPTS");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_RECONNECT_ENABLED", "maybe")))
			.withMessageContaining("WS_RECONNECT_ENABLED");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_PING_TIMEOUT", "None")))
			.withMessageContaining("WS_PING_TIMEOUT");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_MAX_MESSAGE_SIZE", "99999999999")))
			.withMessageContaining("WS_MAX_MESSAGE_SIZE");
	}

	@Test
	void backoffMaxBelowBaseIsRejectedNamingBoth() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig
				.fromEnv(Map.of("WS_RECONNECT_BACKOFF_BASE", "10", "WS_RECONNECT_BACKOFF_MAX", "5")))
			.withMessageContaining("WS_RECONNECT_BACKOFF_MAX")
			.withMessageContaining("WS_RECONNECT_BACKOFF_BASE");
	}

	@Test
	void builderValidatesNamingTheSettingAndValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketConfig.builder().reconnectJitter(1.5).build())
			.withMessage("reconnectJitter must be between 0 and 1, was 1.5");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.builder().openTimeout(Duration.ofSeconds(-1)).build())
			.withMessage("openTimeout must be a positive duration, was PT-1S");
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketConfig.builder().maxMessageSize(0).build())
			.withMessage("maxMessageSize must be greater than 0, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketConfig.builder().maxSendQueueSize(0).build())
			.withMessage("maxSendQueueSize must be greater than 0, was 0");
	}

	@Test
	void maxSendQueueSizeDefaultsTo64AndIsReadFromItsOwnVariable() {
		assertThat(WebSocketConfig.defaults().maxSendQueueSize()).isEqualTo(64)
			.isEqualTo(WebSocketConfig.DEFAULT_MAX_SEND_QUEUE_SIZE);
		assertThat(WebSocketConfig.fromEnv(Map.of("WS_MAX_SEND_QUEUE_SIZE", " 256 ")).maxSendQueueSize())
			.isEqualTo(256);
		assertThat(WebSocketConfig.builder().maxSendQueueSize(3).build().toBuilder().build().maxSendQueueSize())
			.isEqualTo(3);
	}

	@Test
	void badMaxSendQueueSizeNamesTheVariableAndTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_MAX_SEND_QUEUE_SIZE", "lots")))
			.withMessage("Invalid value 'lots' for environment variable WS_MAX_SEND_QUEUE_SIZE: "
					+ "expected a positive integer");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> WebSocketConfig.fromEnv(Map.of("WS_MAX_SEND_QUEUE_SIZE", "0")))
			.withMessage("Invalid value '0' for environment variable WS_MAX_SEND_QUEUE_SIZE: must be greater than 0");
	}

	@Test
	void maxSendQueueSizeTakesPartInEquality() {
		WebSocketConfig small = WebSocketConfig.builder().maxSendQueueSize(1).build();
		assertThat(small).isNotEqualTo(WebSocketConfig.defaults());
		assertThat(small.toString()).contains("maxSendQueueSize=1");
	}

	@Test
	void toBuilderCopiesEveryField() {
		WebSocketConfig config = WebSocketConfig.builder()
			.openTimeout(Duration.ofSeconds(30))
			.pingInterval(null)
			.maxMessageSize(16 * 1024 * 1024)
			.reconnectMaxAttempts(0)
			.reconnectJitter(0)
			.build();
		assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
		assertThat(config.toString()).contains("pingInterval=None");
	}

	@Test
	void propertyValuesAreWhatSpringBootBinds() {
		assertThat(SeedVariable.OPEN_TIMEOUT.toPropertyValue("10.0")).isEqualTo("PT10S");
		assertThat(SeedVariable.PING_INTERVAL.toPropertyValue("None")).isEqualTo("0");
		assertThat(SeedVariable.RECONNECT_MAX_ATTEMPTS.toPropertyValue("0")).isEqualTo("0");
		assertThat(SeedVariable.RECONNECT_JITTER.toPropertyValue("0.1")).isEqualTo("0.1");
		assertThat(SeedVariable.OPEN_TIMEOUT.toPropertyValue("soon")).isEqualTo("soon");
	}

}
