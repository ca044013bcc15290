package dev.wsinfra.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wsinfra.internal.ReceivingThread;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replies sent on the thread that delivers the peer's message, against a session whose
 * asynchronous writes complete on another thread, as the container's do.
 */
class ReceivingThreadReplyTests {

	private InMemoryConnectionManager manager = new InMemoryConnectionManager();

	private final ScheduledExecutorService completer = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void close() {
		this.completer.shutdownNow();
		this.manager.close();
	}

	@Test // #11
	void aReplyIsWrittenBeforeSendReturnsWhenItsCompletionComesFromAnotherThread() {
		// A long stall threshold gives the receiving thread seconds to wait, so a loaded
		// machine cannot turn a completion that comes a few milliseconds later into a
		// timed-out wait.
		this.manager.close();
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().writeStallThreshold(Duration.ofSeconds(30)).build(),
				JsonMapper.builder().build());
		NativeRecordingSession session = new NativeRecordingSession();
		AtomicBoolean completed = new AtomicBoolean();
		session.completeAsyncWritesOn((completion) -> this.completer.schedule(() -> {
			// Set first: running the completion wakes the waiting sender.
			completed.set(true);
			completion.run();
		}, 5, TimeUnit.MILLISECONDS));
		this.manager.connect("alice", session);

		replyOnReceivingThread(session, "pong");

		assertThat(completed).as("the write completed before send returned").isTrue();
		assertThat(session.sentTexts()).containsExactly("pong");
	}

	@Test // #11
	void aWriteThatDoesNotCompleteHoldsTheReceivingThreadOnlyBrieflyAndLaterRepliesFollowIt() {
		NativeRecordingSession session = new NativeRecordingSession();
		List<Runnable> held = new CopyOnWriteArrayList<>();
		session.completeAsyncWritesOn(held::add);
		this.manager.connect("bob", session);

		replyOnReceivingThread(session, "first");
		replyOnReceivingThread(session, "second");
		assertThat(session.sentTexts()).as("the second waits for the first write's completion")
			.containsExactly("first");

		session.completeAsyncWritesOn(null);
		held.forEach(Runnable::run);
		await().atMost(5, TimeUnit.SECONDS).until(() -> session.sentTexts().size() == 2);
		assertThat(session.sentTexts()).containsExactly("first", "second");
	}

	private void replyOnReceivingThread(RecordingSession session, String reply) {
		@Nullable String previous = ReceivingThread.enter(session.getId());
		try {
			assertThat(this.manager.send(session, reply)).isTrue();
		}
		finally {
			ReceivingThread.exit(previous);
		}
	}

}
