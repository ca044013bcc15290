package dev.wsinfra.client.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.MessageTooLargeException;
import dev.wsinfra.WebSocketMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InboundQueueTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ReadPause pause = new ReadPause();

	private final InboundQueue queue = new InboundQueue(2, this.pause);

	@Test
	void aFullQueueHoldsTheProducerUntilAMessageIsTaken() throws Exception {
		assertThat(this.queue.offer(WebSocketMessage.text("1"))).isTrue();
		assertThat(this.queue.offer(WebSocketMessage.text("2"))).isTrue();
		CompletableFuture<Boolean> third = offerLater("3");
		await().atMost(WAIT).until(this.pause::isPaused);
		assertThat(third).isNotDone();
		assertThat(this.queue.size()).isEqualTo(2);
		long pausedSince = System.nanoTime();
		assertThat(this.queue.take(-1)).isEqualTo(WebSocketMessage.text("1"));
		assertThat(third.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(this.pause.isPaused()).isFalse();
		assertThat(this.pause.resumedAt()).isGreaterThan(pausedSince);
		assertThat(this.queue.take(-1)).isEqualTo(WebSocketMessage.text("2"));
		assertThat(this.queue.take(-1)).isEqualTo(WebSocketMessage.text("3"));
	}

	@Test
	void stoppingReleasesAHeldProducerAndDropsItsMessage() throws Exception {
		this.queue.offer(WebSocketMessage.text("1"));
		this.queue.offer(WebSocketMessage.text("2"));
		CompletableFuture<Boolean> third = offerLater("3");
		await().atMost(WAIT).until(this.pause::isPaused);
		this.queue.stopAccepting();
		assertThat(third.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
		assertThat(this.queue.offer(WebSocketMessage.text("4"))).isFalse();
		assertThat(this.queue.take(0)).isEqualTo(WebSocketMessage.text("1"));
		assertThat(this.queue.take(0)).isEqualTo(WebSocketMessage.text("2"));
		assertThat(this.queue.take(0)).isNull();
	}

	private CompletableFuture<Boolean> offerLater(String text) {
		return CompletableFuture.supplyAsync(() -> this.queue.offer(WebSocketMessage.text(text)));
	}

	@Test
	void messagesComeFirstThenTheFailureThenTheEnd() throws Exception {
		this.queue.offer(WebSocketMessage.text("1"));
		MessageTooLargeException failure = new MessageTooLargeException(10, 5);
		this.queue.fail(failure);
		InboundQueue.End end = new InboundQueue.End(1009, "Message too big", failure, false);
		this.queue.end(end);
		this.queue.end(new InboundQueue.End(1000, "", null, true));
		assertThat(this.queue.take(0)).isEqualTo(WebSocketMessage.text("1"));
		assertThat(this.queue.take(0)).isSameAs(failure);
		assertThat(this.queue.take(0)).isEqualTo(end);
		assertThat(this.queue.take(0)).isEqualTo(end);
		assertThat(end.toException().code()).isEqualTo(1009);
		assertThat(end.toException()).hasCause(failure);
	}

	@Test
	void aWaitingReaderWakesUpAtTheEnd() throws Exception {
		CompletableFuture<Object> taken = CompletableFuture.supplyAsync(() -> {
			try {
				return this.queue.take(-1);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		InboundQueue.End end = new InboundQueue.End(1006, "", null, false);
		this.queue.end(end);
		assertThat(taken.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(end);
	}

	@Test
	void takeGivesUpAfterItsTimeout() throws Exception {
		long start = System.nanoTime();
		assertThat(this.queue.take(TimeUnit.MILLISECONDS.toNanos(50))).isNull();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
	}

}
