package dev.wsinfra.internal;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonThreadsTests {

	@Test // #12
	void threadsAreDaemonsWithNamesUniqueAcrossFactoriesOfOnePrefix() {
		ThreadFactory first = DaemonThreads.factory("ws-infra-test-timer");
		ThreadFactory second = DaemonThreads.factory("ws-infra-test-timer");
		Thread one = first.newThread(() -> {
		});
		Thread two = second.newThread(() -> {
		});
		Thread three = DaemonThreads.newThread("ws-infra-test-timer", () -> {
		});
		assertThat(one.isDaemon()).isTrue();
		assertThat(three.isDaemon()).isTrue();
		assertThat(one.getName()).startsWith("ws-infra-test-timer-");
		assertThat(one.getName()).isNotEqualTo(two.getName()).isNotEqualTo(three.getName());
		assertThat(two.getName()).isNotEqualTo(three.getName());
	}

}
