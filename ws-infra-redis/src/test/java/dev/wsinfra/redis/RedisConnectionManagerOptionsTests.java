package dev.wsinfra.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisConnectionManagerOptionsTests {

	@Test
	void defaultsAreTheDocumentedOnes() {
		RedisConnectionManagerOptions options = RedisConnectionManagerOptions.defaults();

		assertThat(options.keyPrefix()).isEqualTo("ws:");
		assertThat(options.presenceTtl()).isEqualTo(Duration.ofSeconds(60));
		assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
		assertThat(options.presenceGracePeriod()).isZero();
		assertThat(options.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.streamMaxLength()).isEqualTo(10_000);
		assertThat(options.streamTtl()).isZero();
		assertThat(options.maxRecoveryPositions()).isEqualTo(16);
		assertThat(options.inboundQueueLimit()).isEqualTo(100_000);
		assertThat(options.instanceId()).matches(".+-[0-9a-f]{8}");
	}

	@Test
	void generatedInstanceIdsDiffer() {
		assertThat(RedisConnectionManagerOptions.defaults().instanceId())
			.isNotEqualTo(RedisConnectionManagerOptions.defaults().instanceId());
	}

	@Test
	void invalidValuesAreNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnectionManagerOptions.builder().presenceTtl(Duration.ofMillis(10)).build())
			.withMessage("presenceTtl must be at least PT0.3S, was PT0.01S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnectionManagerOptions.builder().streamMaxLength(0).build())
			.withMessage("streamMaxLength must be greater than 0, was 0");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> RedisConnectionManagerOptions.builder().presenceGracePeriod(Duration.ofSeconds(-1)).build())
			.withMessage("presenceGracePeriod must be 0 (none) or a positive duration, was PT-1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnectionManagerOptions.builder().instanceId("a:b").build())
			.withMessage("instanceId must not be blank nor contain ':', was 'a:b'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnectionManagerOptions.builder().inboundQueueLimit(0).build())
			.withMessage("inboundQueueLimit must be greater than 0, was 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnectionManagerOptions.builder().maxRecoveryPositions(0).build())
			.withMessage("maxRecoveryPositions must be greater than 0, was 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RedisConnectionManagerOptions.builder().commandTimeout(Duration.ZERO).build())
			.withMessageStartingWith("commandTimeout must be at least");
	}

}
