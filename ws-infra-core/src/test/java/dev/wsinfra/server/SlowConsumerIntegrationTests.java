package dev.wsinfra.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TomcatServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each limit of a connection's outbound queue against a real Tomcat session whose peer
 * stopped reading: a raw socket that reads nothing until the test reads what was written
 * to it, close frame included.
 */
class SlowConsumerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String PAYLOAD = "p".repeat(64 * 1024);

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final RecordingListener disconnects = new RecordingListener();

	private InMemoryConnectionManager manager;

	private TomcatServer server;

	@AfterEach
	void stop() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test // #14
	void aQueueOverItsMessageLimitClosesThePeerWith1013AfterWhatWasWritten() throws Exception {
		start(ConnectionManagerSettings.builder()
			.outboundQueueLimit(16)
			.outboundQueueBytes(1024L * 1024 * 1024)
			.outboundMaxDelay(Duration.ZERO)
			.writeStallThreshold(Duration.ofMinutes(1))
			.closeTimeout(Duration.ofMinutes(1)));
		assertFillingAStalledPeerClosesItWith1013();
	}

	@Test // #14
	void aPeerClosedInTheMiddleOfABatchOfWritesGetsTheWholeFramesThenThe1013() throws Exception {
		// Messages under the asynchronous threshold are written in batches by blocking
		// writes; the close came in the middle of one now and then, and the peer got a
		// close frame inside a half-written frame, or none at all.
		start(ConnectionManagerSettings.builder().outboundQueueLimit(32).outboundMaxDelay(Duration.ZERO));
		String small = "b".repeat(16 * 1024);
		for (int peer = 0; peer < 40; peer++) {
			this.disconnects.clear();
			RawWebSocket stalled = stalledPeer();
			int sent = 0;
			while (this.manager.isUserConnected("stalled") && sent < 20_000) {
				this.manager.sendToUser("stalled", sent++ + ":" + small);
			}
			assertClosedAsSlowConsumer(stalled, sent);
		}
	}

	@Test // #14
	void aQueueOverItsByteBudgetClosesThePeerWith1013() throws Exception {
		// The message limit and the write timeout are out of reach: only the byte budget
		// can close the connection within the messages sent.
		start(ConnectionManagerSettings.builder()
			.outboundQueueLimit(100_000)
			.outboundQueueBytes(1024 * 1024)
			.outboundMaxDelay(Duration.ZERO)
			.writeStallThreshold(Duration.ofMinutes(1))
			.closeTimeout(Duration.ofMinutes(1)));
		assertFillingAStalledPeerClosesItWith1013();
	}

	@Test // #14
	void aMessageOlderThanTheMaximumDelayClosesThePeerWith1013() throws Exception {
		// Neither the message limit nor the byte budget can be reached by the messages
		// sent within the wait: only their age closes the connection.
		start(ConnectionManagerSettings.builder()
			.outboundQueueLimit(100_000)
			.outboundQueueBytes(1024L * 1024 * 1024)
			.outboundMaxDelay(Duration.ofMillis(500))
			.writeStallThreshold(Duration.ofMinutes(1))
			.closeTimeout(Duration.ofMinutes(1)));
		RawWebSocket stalled = stalledPeer();
		String large = "a".repeat(256 * 1024);
		int[] sent = { 0 };
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
			this.manager.sendToUser("stalled", sent[0]++ + ":" + large);
			return !this.manager.isUserConnected("stalled");
		});
		assertClosedAsSlowConsumer(stalled, sent[0]);
	}

	@Test // #14
	void dropOldestKeepsTheStalledPeerAndDeliversTheNewestOnceItReadsAgain() throws Exception {
		start(ConnectionManagerSettings.builder()
			.outboundQueueLimit(8)
			.outboundMaxDelay(Duration.ZERO)
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST));
		RawWebSocket stalled = stalledPeer();
		WsTestClient reader = WsTestClient.open(this.server.uri("/ws?user=reader"));
		this.resources.add(reader);
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == 2);
		int sent = 0;
		while (this.manager.droppedMessageCount() == 0 && sent < 2_000) {
			String message = sent + ":" + PAYLOAD;
			this.manager.broadcast(message);
			assertThat(reader.nextText()).isEqualTo(message);
			sent++;
		}
		long dropped = this.manager.droppedMessageCount();
		assertThat(dropped).as("dropped after %d messages", sent).isPositive();
		this.manager.sendToUser("stalled", "marker");

		// Everything written before the marker, in order, with the dropped ones missing
		// and no close frame on the way.
		List<Integer> received = new ArrayList<>();
		String text;
		while (!(text = stalled.readText()).equals("marker")) {
			received.add(Integer.parseInt(text.substring(0, text.indexOf(':'))));
		}
		assertThat(received).isSorted().doesNotHaveDuplicates();
		assertThat(received).hasSizeLessThanOrEqualTo(sent - (int) dropped).contains(sent - 1);
		assertThat(this.manager.isUserConnected("stalled")).isTrue();
		assertThat(this.disconnects.events()).isEmpty();
	}

	private void start(ConnectionManagerSettings.Builder settings) throws Exception {
		this.manager = new InMemoryConnectionManager(settings.build(), JsonMapper.builder().build());
		this.manager.onDisconnect(this.disconnects);
		this.server = TomcatServer.start(new ManagedHandler(this.manager, true), "/ws");
		this.resources.add(this.server);
		this.resources.add(this.manager);
	}

	private RawWebSocket stalledPeer() throws IOException {
		RawWebSocket raw = RawWebSocket.connect(this.server.port(), "/ws?user=stalled", Map.of());
		this.resources.add(raw);
		assertThat(raw.status()).isEqualTo(101);
		await().atMost(WAIT).until(() -> this.manager.isUserConnected("stalled"));
		return raw;
	}

	private void assertFillingAStalledPeerClosesItWith1013() throws IOException {
		RawWebSocket stalled = stalledPeer();
		int sent = 0;
		while (this.manager.isUserConnected("stalled") && sent < 2_000) {
			this.manager.sendToUser("stalled", sent + ":" + PAYLOAD);
			sent++;
		}
		assertThat(this.manager.isUserConnected("stalled")).as("still connected after %d messages", sent).isFalse();
		assertClosedAsSlowConsumer(stalled, sent);
	}

	/**
	 * Reads what the server wrote to the stalled peer: some of the messages, in order,
	 * then a 1013 close frame.
	 */
	private void assertClosedAsSlowConsumer(RawWebSocket stalled, int sent) throws IOException {
		assertThat(this.disconnects.events()).singleElement()
			.satisfies((event) -> assertThat(event.closeStatus()).isEqualTo(CloseStatuses.SLOW_CONSUMER));
		int received = 0;
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		RawWebSocket.Frame frame;
		while ((frame = stalled.readFrame()).opcode() != 0x8) {
			// Tomcat writes a large text message in several frames.
			assertThat(frame.opcode()).as("opcode of a frame after %d messages", received)
				.isEqualTo((message.size() == 0) ? 0x1 : 0x0);
			message.writeBytes(frame.payload());
			if (frame.fin()) {
				assertThat(message.toString(StandardCharsets.UTF_8)).startsWith(received + ":");
				message.reset();
				received++;
			}
		}
		assertThat(frame.closeCode()).isEqualTo(1013);
		assertThat(frame.closeReason()).isEqualTo("Slow consumer");
		assertThat(received).as("messages written of %d sent", sent).isLessThan(sent);
	}

}
