package dev.wsinfra.client.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeepaliveTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final BlockingQueue<ByteBuffer> pings = new LinkedBlockingQueue<>();

	private final CountDownLatch dead = new CountDownLatch(1);

	private final ReadPause pause = new ReadPause();

	@AfterEach
	void stop() {
		this.scheduler.shutdownNow();
	}

	private Keepalive keepalive(Duration interval, Duration timeout) {
		Keepalive keepalive = new Keepalive(interval, timeout, this.scheduler, this.pings::add, this.pause,
				this.dead::countDown);
		keepalive.start();
		return keepalive;
	}

	private ByteBuffer nextPing() throws InterruptedException {
		ByteBuffer ping = this.pings.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(ping).as("a ping within %s", WAIT).isNotNull();
		return ping;
	}

	@Test
	void answeredPingsMeasureLatencyAndKeepTheConnection() throws Exception {
		// a timeout far above how late a loaded machine may run the test's answer
		Keepalive keepalive = keepalive(Duration.ofMillis(20), Duration.ofSeconds(5));
		for (int i = 0; i < 5; i++) {
			keepalive.pong(nextPing());
		}
		assertThat(keepalive.latency()).hasValueSatisfying((latency) -> assertThat(latency).isPositive());
		assertThat(this.dead.getCount()).isEqualTo(1);
		keepalive.stop();
	}

	@Test
	void anUnansweredPingDeclaresTheConnectionDeadOnce() throws Exception {
		Keepalive keepalive = keepalive(Duration.ofMillis(20), Duration.ofMillis(100));
		nextPing();
		assertThat(this.dead.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(keepalive.latency()).isEmpty();
		this.pings.clear();
		assertThat(this.pings.poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void aPongThatAnswersAnotherPingDoesNotCount() throws Exception {
		Keepalive keepalive = keepalive(Duration.ofMillis(20), Duration.ofMillis(150));
		ByteBuffer ping = nextPing();
		ByteBuffer other = ByteBuffer.allocate(8).putLong(0, ping.getLong(0) + 1);
		keepalive.pong(other);
		keepalive.pong(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		assertThat(this.dead.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void timeTheReaderIsHeldDoesNotCountAgainstThePeer() throws Exception {
		// held for twice the timeout; answered at once, well within it, after each resume
		Keepalive keepalive = keepalive(Duration.ofMillis(20), Duration.ofMillis(750));
		this.pause.pause();
		ByteBuffer ping = nextPing();
		assertThat(this.dead.await(1500, TimeUnit.MILLISECONDS)).isFalse();
		this.pause.resume();
		keepalive.pong(ping);
		assertThat(keepalive.latency()).isPresent();
		this.pause.pause();
		this.pause.resume();
		keepalive.pong(nextPing());
		assertThat(this.dead.getCount()).isEqualTo(1);
		keepalive.stop();
	}

	@Test
	void afterTheReaderResumesThePeerGetsAFullTimeoutAgain() throws Exception {
		keepalive(Duration.ofMillis(20), Duration.ofMillis(300));
		this.pause.pause();
		nextPing();
		assertThat(this.dead.await(500, TimeUnit.MILLISECONDS)).isFalse();
		long resumed = System.nanoTime();
		this.pause.resume();
		assertThat(this.dead.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - resumed)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
	}

}
