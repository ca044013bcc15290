package dev.wsinfra.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The keys of a {@link RedisConsumerManager}: the task stream and its dead-letter stream
 * in one hash slot, so that each script touches one slot on Redis Cluster.
 */
class RedisConsumerManagerTests {

	// Never connected: building a manager opens nothing.
	private final RedisClient client = RedisClient.create();

	@AfterEach
	void shutdown() {
		this.client.shutdown();
	}

	@Test // #13
	void theDefaultStreamAndDeadLetterStreamShareOneHashTag() {
		RedisConsumerManager manager = RedisConsumerManager.builder(this.client).build();
		assertThat(manager.stream()).isEqualTo("ws:{tasks}");
		assertThat(manager.deadLetterStream()).isEqualTo("ws:{tasks}:dead");
	}

	@Test // #13
	void theDeadLetterStreamOfAStreamWithoutHashTagHashesToTheStreamsSlot() {
		RedisConsumerManager manager = RedisConsumerManager.builder(this.client).stream("orders").build();
		assertThat(manager.deadLetterStream()).isEqualTo("{orders}:dead");
		assertThat(SlotHash.getSlot(manager.deadLetterStream())).isEqualTo(SlotHash.getSlot("orders"));
	}

	@Test // #13
	void aDeadLetterStreamInAnotherSlotIsRejected() {
		RedisConsumerManager.Builder builder = RedisConsumerManager.builder(this.client)
			.stream("app:{orders}")
			.deadLetterStream("app:{orders-dead}");
		assertThatIllegalArgumentException().isThrownBy(builder::build).withMessageContaining("hash tag");
	}

	@Test // #13
	void aStreamWithABraceButNoHashTagIsRejectedWithoutADeadLetterStreamInItsSlot() {
		RedisConsumerManager.Builder builder = RedisConsumerManager.builder(this.client).stream("a}b");
		assertThatIllegalArgumentException().isThrownBy(builder::build);
	}

}
