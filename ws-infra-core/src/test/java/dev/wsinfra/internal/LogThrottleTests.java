package dev.wsinfra.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogThrottleTests {

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Log log = (Log) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Log.class },
			(proxy, method, args) -> {
				if (method.getName().startsWith("is")) {
					return true;
				}
				this.lines.add(method.getName() + " " + args[0]);
				return null;
			});

	@Test
	void firstLineGoesOutAtInfoAndRepetitionsWithinTheIntervalAtDebug() {
		// #11
		LogThrottle throttle = new LogThrottle(Duration.ofHours(1));
		for (int i = 0; i < 3; i++) {
			throttle.info(this.log, () -> "refused");
		}
		assertThat(this.lines).containsExactly("info refused", "debug refused", "debug refused");
	}

	@Test
	void nextLineAtInfoAfterTheIntervalCountsTheLinesHeldBack() {
		// #11
		LogThrottle throttle = new LogThrottle(Duration.ofMillis(200));
		throttle.info(this.log, () -> "refused");
		throttle.info(this.log, () -> "refused");
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			throttle.info(this.log, () -> "refused");
			return this.lines.get(this.lines.size() - 1).startsWith("info");
		});
		int heldBack = this.lines.size() - 2;
		assertThat(this.lines.get(this.lines.size() - 1))
			.isEqualTo("info refused (" + heldBack + " more since the last such line at INFO, logged at DEBUG)");
	}

	@Test // #12
	void failuresGoOutAtWarnOncePerIntervalAndAtDebugInBetween() {
		LogThrottle throttle = new LogThrottle(Duration.ofHours(1));
		IllegalStateException failure = new IllegalStateException("boom");
		for (int i = 0; i < 3; i++) {
			throttle.warn(this.log, () -> "listener failed", failure);
		}
		assertThat(this.lines).containsExactly("warn listener failed", "debug listener failed",
				"debug listener failed");
	}

}
