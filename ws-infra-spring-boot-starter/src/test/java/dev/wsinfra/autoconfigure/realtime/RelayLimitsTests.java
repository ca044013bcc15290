package dev.wsinfra.autoconfigure.realtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayLimitsTests {

	@Test // #17
	void countsSessionsByUserAndInAllAndGivesPlacesBack() {
		RelayLimits limits = new RelayLimits(3, 2);
		assertThat(limits.acquire("a")).isNull();
		assertThat(limits.acquire("a")).isNull();
		assertThat(limits.acquire("a")).isEqualTo(RelayClose.TOO_MANY_SESSIONS);
		assertThat(limits.acquire("b")).isNull();
		assertThat(limits.acquire("c")).isEqualTo(RelayClose.INSTANCE_CAPACITY);
		assertThat(limits.active()).isEqualTo(3);
		limits.release("a");
		assertThat(limits.acquire("c")).isNull();
		assertThat(limits.acquire("a")).isEqualTo(RelayClose.INSTANCE_CAPACITY);
		limits.release("b");
		assertThat(limits.acquire("a")).isNull();
		assertThat(limits.active()).isEqualTo(3);
	}

	@Test // #17
	void zeroMeansUnlimited() {
		RelayLimits limits = new RelayLimits(0, 0);
		for (int i = 0; i < 1000; i++) {
			assertThat(limits.acquire("a")).isNull();
		}
		assertThat(limits.active()).isEqualTo(1000);
	}

}
