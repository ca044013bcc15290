package dev.wsinfra.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a writer groups a connection's queue into runs of batched writes: small messages
 * together, a message from the transport's batch limit on alone.
 */
class ConnectionBatchingTests {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@Test // #15
	void aMessageFromTheBatchLimitOnEndsTheRunAndIsWrittenAlone() {
		Connection connection = connection(100);
		for (String text : List.of("a", "b", "L".repeat(100), "c", "d", "M".repeat(200))) {
			connection.offer(Connection.Queued.of(OutboundMessage.text(text), System.nanoTime()));
		}
		connection.drainOnWriter(new WriterPool(1, Duration.ofSeconds(1)).new Writer());
		assertThat(this.calls).containsExactly("begin", "write 1", "write 1", "end", "write 100", "begin", "write 1",
				"write 1", "end", "write 200");
	}

	@Test // #15
	void withoutALimitARunIsOneBatch() {
		Connection connection = connection(Integer.MAX_VALUE);
		for (String text : List.of("a", "L".repeat(100), "b")) {
			connection.offer(Connection.Queued.of(OutboundMessage.text(text), System.nanoTime()));
		}
		connection.drainOnWriter(new WriterPool(1, Duration.ofSeconds(1)).new Writer());
		assertThat(this.calls).containsExactly("begin", "write 1", "write 100", "write 1", "end");
	}

	private Connection connection(int batchLimit) {
		RecordingSession session = new RecordingSession();
		return new Connection("c1", "alice", session, Map.of(), new RecordingTransport(batchLimit), new NoOwner(),
				ConnectionManagerSettings.defaults());
	}

	private final class RecordingTransport implements SessionTransport {

		private final int batchLimit;

		RecordingTransport(int batchLimit) {
			this.batchLimit = batchLimit;
		}

		@Override
		public void write(OutboundMessage message) {
			ConnectionBatchingTests.this.calls.add("write " + message.encodedSize());
		}

		@Override
		public int batchLimit() {
			return this.batchLimit;
		}

		@Override
		public void beginWrites() {
			ConnectionBatchingTests.this.calls.add("begin");
		}

		@Override
		public void endWrites() {
			ConnectionBatchingTests.this.calls.add("end");
		}

		@Override
		public boolean canWriteAsync() {
			return false;
		}

		@Override
		public void writeAsync(OutboundMessage message, Callback callback) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void close(CloseStatus status) {
			ConnectionBatchingTests.this.calls.add("close");
		}

	}

	private static final class NoOwner implements Connection.Owner {

		@Override
		public void slowConsumer(Connection connection, Connection.Overflow overflow) {
			throw new AssertionError("slow consumer: " + overflow);
		}

		@Override
		public void messageDropped(Connection connection) {
			throw new AssertionError("dropped");
		}

		@Override
		public void connectionLost(Connection connection) {
			throw new AssertionError("lost");
		}

		@Override
		public void execute(Runnable task) {
			throw new AssertionError("no task expected");
		}

	}

}
