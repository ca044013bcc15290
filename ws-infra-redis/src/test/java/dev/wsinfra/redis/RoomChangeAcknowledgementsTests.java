package dev.wsinfra.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomChangeAcknowledgementsTests {

	private final RoomChangeAcknowledgements acknowledgements = new RoomChangeAcknowledgements();

	@Test // #5
	void acknowledgementsArrivingBeforeTheCountIsKnownCount() throws InterruptedException {
		RoomChangeAcknowledgements.Pending join = this.acknowledgements.begin();
		this.acknowledgements.acknowledged(join.id);
		this.acknowledgements.acknowledged(join.id);

		assertThat(join.await(2, Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void aJoinNobodyNeedsToAcknowledgeIsComplete() throws InterruptedException {
		assertThat(this.acknowledgements.begin().await(0, Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void theWaitIsBoundedAndEndedJoinsIgnoreLateAcknowledgements() throws InterruptedException {
		RoomChangeAcknowledgements.Pending join = this.acknowledgements.begin();
		this.acknowledgements.acknowledged(join.id);

		assertThat(join.await(2, Duration.ofMillis(20))).isFalse();
		this.acknowledgements.end(join);
		this.acknowledgements.acknowledged(join.id);
		assertThat(join.await(2, Duration.ofMillis(1))).isFalse();
	}

}
