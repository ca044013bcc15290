package dev.wsinfra.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wsinfra.WebSocketMessage;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records a client's listener calls in a queue, with assertions that wait a bounded time,
 * and checks that calls never overlap.
 */
final class RecordingListener implements WebSocketListener {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private record Close(int code, String reason) {
	}

	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final AtomicBoolean inCall = new AtomicBoolean();

	private volatile @Nullable RuntimeException failure;

	void failOnMessage(RuntimeException failure) {
		this.failure = failure;
	}

	@Override
	public void onMessage(WebSocketClient client, WebSocketMessage message) {
		enter();
		try {
			this.events.add(message);
			RuntimeException toThrow = this.failure;
			if (toThrow != null) {
				throw toThrow;
			}
		}
		finally {
			this.inCall.set(false);
		}
	}

	@Override
	public void onClose(WebSocketClient client, int code, String reason) {
		enter();
		this.events.add(new Close(code, reason));
		this.inCall.set(false);
	}

	@Override
	public void onError(WebSocketClient client, Throwable error) {
		enter();
		this.events.add(error);
		this.inCall.set(false);
	}

	private void enter() {
		assertThat(this.inCall.compareAndSet(false, true)).as("listener calls overlap").isTrue();
	}

	private Object next() throws InterruptedException {
		Object event = this.events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(event).as("a listener call within %s", WAIT).isNotNull();
		return event;
	}

	void assertMessage(WebSocketMessage expected) throws InterruptedException {
		assertThat(next()).isEqualTo(expected);
	}

	void assertClose(int code, String reason) throws InterruptedException {
		assertThat(next()).isEqualTo(new Close(code, reason));
	}

	void assertError(Class<? extends Throwable> type) throws InterruptedException {
		assertThat(next()).isInstanceOf(type);
	}

	void assertNoMoreEvents() throws InterruptedException {
		assertThat(this.events.poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

}
