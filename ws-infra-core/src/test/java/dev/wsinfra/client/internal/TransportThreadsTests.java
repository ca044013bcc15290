package dev.wsinfra.client.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransportThreadsTests {

	private final Logger containerLogger = Logger.getLogger("org.glassfish.tyrus.container.jdk.client.ClientFilter");

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			TransportThreadsTests.this.records.add(record);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	@BeforeEach
	void capture() {
		assertThat(TransportThreads.WORKERS.getMaxPoolSize()).isEqualTo(1024);
		this.containerLogger.addHandler(this.handler);
		this.containerLogger.setUseParentHandlers(false);
	}

	@AfterEach
	void release() {
		this.containerLogger.setUseParentHandlers(true);
		this.containerLogger.removeHandler(this.handler);
	}

	@Test // #11
	void aFailedReadOnATransportThreadIsNotLoggedAsSevere() throws Exception {
		onTransportThread(() -> this.containerLogger.log(Level.SEVERE, "Connection error has occurred",
				new IOException("Connection reset")));
		assertThat(this.records).isEmpty();
	}

	@Test
	void otherFailuresOnATransportThreadAreLogged() throws Exception {
		onTransportThread(() -> this.containerLogger.log(Level.SEVERE, "Connection error has occurred",
				new IllegalStateException("bug")));
		assertThat(this.records).hasSize(1);
	}

	@Test
	void failedReadsOfOtherThreadsAreLogged() {
		this.containerLogger.log(Level.SEVERE, "Connection error has occurred", new IOException("Connection reset"));
		assertThat(this.records).hasSize(1);
	}

	@Test
	void transportThreadsAreNamedDaemons() {
		Thread thread = TransportThreads.WORKERS.getThreadFactory().newThread(() -> {
		});
		assertThat(thread.isDaemon()).isTrue();
		assertThat(thread.getName()).startsWith("ws-infra-tyrus-");
	}

	private static void onTransportThread(Runnable task) throws InterruptedException {
		Thread thread = TransportThreads.WORKERS.getThreadFactory().newThread(task);
		thread.start();
		thread.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(thread.isAlive()).isFalse();
	}

}
