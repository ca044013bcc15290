package dev.wsinfra.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;

import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.testsupport.TomcatServer;
import jakarta.websocket.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Text written through {@link TomcatFrames} on a real Tomcat, read frame by frame from
 * the socket: one frame per message whatever its size, the same bytes for every
 * recipient, and the protocol kept where writes are split, cut or held up.
 */
class TomcatFramesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	// Server send buffer and client receive buffer: together they hold far less than
	// the large messages below, so those cannot be written in one go.
	private static final int SMALL_BUFFER = 4096;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private InMemoryConnectionManager manager;

	private ManagedHandler handler;

	private TomcatServer server;

	@AfterEach
	void stop() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	private void startServer(Map<String, String> connectorProperties) throws Exception {
		this.manager = new InMemoryConnectionManager(
				ConnectionManagerSettings.builder().closeTimeout(Duration.ofSeconds(60)).build(),
				JsonMapper.builder().build());
		this.handler = new ManagedHandler(this.manager, true);
		this.server = TomcatServer.start(this.handler, "/ws", connectorProperties);
		this.resources.add(this.server);
		this.resources.add(this.manager);
	}

	private void startServerWithSmallSendBuffers() throws Exception {
		startServer(Map.of("socket.txBufSize", Integer.toString(SMALL_BUFFER)));
	}

	private RawWebSocket client(String user, Map<String, String> headers) throws Exception {
		RawWebSocket client = RawWebSocket.connect(this.server.port(), "/ws?user=" + user, headers);
		this.resources.add(client);
		assertThat(client.status()).isEqualTo(101);
		return client;
	}

	private SmallWindowClient smallWindowClient(String user) throws Exception {
		SmallWindowClient client = SmallWindowClient.connect(this.server.port(), "/ws?user=" + user, SMALL_BUFFER);
		this.resources.add(client);
		return client;
	}

	private void awaitConnections(int count) {
		await().atMost(WAIT).until(() -> this.manager.connectionCount() == count);
	}

	@Test // #15
	void theFrameWriterIsSelectedForTomcatSessions() throws Exception {
		startServer(Map.of());
		client("alice", Map.of());
		awaitConnections(1);
		binding();
		assertThat(transport(this.handler.sessionOf("alice"), true).writesFrames()).isTrue();
	}

	@ParameterizedTest // #15
	@ValueSource(ints = { 1, 2, 4, 16, 40 })
	void textOfAnySizeLeavesAsOneFrame(int buffers) throws Exception {
		startServer(Map.of());
		RawWebSocket alice = client("alice", Map.of());
		RawWebSocket bob = client("bob", Map.of());
		awaitConnections(2);
		String text = "x".repeat(buffers * binding().outputBufferSize - 1) + "!";
		this.manager.broadcast(text);
		assertSingleTextFrame(alice.readFrame(), text);
		assertSingleTextFrame(bob.readFrame(), text);
	}

	@Test // #15
	void withoutTheFrameWriterTextOverTomcatsBufferLeavesInSeveralFrames() throws Exception {
		// What the frame writer is for; and the path taken when it is not selected.
		startServer(Map.of());
		RawWebSocket alice = client("alice", Map.of());
		awaitConnections(1);
		int bufferSize = binding().outputBufferSize;
		String text = "y".repeat(4 * bufferSize);
		transport(this.handler.sessionOf("alice"), false).write(OutboundMessage.text(text));
		List<RawWebSocket.Frame> frames = new ArrayList<>();
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		do {
			frames.add(alice.readFrame());
			joined.writeBytes(frames.get(frames.size() - 1).payload());
		}
		while (!frames.get(frames.size() - 1).fin());
		assertThat(frames).hasSize(4);
		assertThat(frames.get(0).opcode()).isEqualTo(0x1);
		assertThat(frames.subList(1, 4)).allSatisfy((frame) -> assertThat(frame.opcode()).isZero());
		assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo(text);
	}

	@Test // #15
	void multiByteTextLeavesAsOneFrameOfItsUtf8Bytes() throws Exception {
		startServer(Map.of());
		RawWebSocket alice = client("alice", Map.of());
		awaitConnections(1);
		String text = "é漢🙂".repeat(3000);
		this.manager.sendToUser("alice", text);
		assertSingleTextFrame(alice.readFrame(), text);
	}

	@Test // #15
	void anUnpairedSurrogateLeavesAsAQuestionMarkAndTheConnectionStaysOpen() throws Exception {
		startServer(Map.of());
		RawWebSocket alice = client("alice", Map.of());
		awaitConnections(1);
		this.manager.sendToUser("alice", "a\uD800b");
		this.manager.sendToUser("alice", "next");
		assertSingleTextFrame(alice.readFrame(), "a?b");
		assertSingleTextFrame(alice.readFrame(), "next");
		assertThat(this.manager.isUserConnected("alice")).isTrue();
	}

	@Test // #15
	void permessageDeflateStillCompressesWhatTheFrameWriterWrites() throws Exception {
		startServer(Map.of());
		RawWebSocket alice = client("alice", Map.of("Sec-WebSocket-Extensions", "permessage-deflate"));
		assertThat(alice.header("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
		awaitConnections(1);
		String first = "{\"price\":187.25,\"symbol\":\"AAPL\"}".repeat(500);
		String second = "ÄÖÜ ".repeat(5000);
		this.manager.sendToUser("alice", first);
		this.manager.sendToUser("alice", second);
		// The server keeps its compression context between messages unless told not to.
		Inflater inflater = new Inflater(true);
		this.resources.add(inflater::end);
		for (String text : List.of(first, second)) {
			byte[] compressed = readMessage(alice);
			assertThat(compressed.length).isLessThan(text.getBytes(StandardCharsets.UTF_8).length / 4);
			assertThat(inflate(inflater, compressed)).isEqualTo(text);
		}
	}

	@ParameterizedTest // #15
	@ValueSource(ints = { 48 * 1024, 1024 * 1024 })
	void aMessageSplitAcrossPartialWritesArrivesWholeInOneFrame(int size) throws Exception {
		// 48 KiB goes through a writer's blocking write, 1 MiB through an asynchronous
		// one.
		startServerWithSmallSendBuffers();
		SmallWindowClient reader = smallWindowClient("reader");
		awaitConnections(1);
		String text = "p".repeat(size - 1) + "!";
		this.manager.broadcast(text);
		await().atMost(WAIT).until(reader::hasBytes);
		assertSingleTextFrame(reader.readFrame(), text);
		this.manager.broadcast("after");
		assertSingleTextFrame(reader.readFrame(), "after");
	}

	@Test // #15
	void aConnectionDroppedInTheMiddleOfASharedFrameLeavesTheOtherRecipientsWhole() throws Exception {
		startServerWithSmallSendBuffers();
		SmallWindowClient dropped = smallWindowClient("dropped");
		SmallWindowClient kept = smallWindowClient("kept");
		awaitConnections(2);
		String text = "q".repeat(1024 * 1024 - 1) + "!";
		this.manager.broadcast(text);
		// Both writes of the one payload have started, and neither can finish.
		await().atMost(WAIT).until(() -> dropped.hasBytes() && kept.hasBytes());
		dropped.drop();
		await().atMost(WAIT).until(() -> !this.manager.isUserConnected("dropped"));
		assertSingleTextFrame(kept.readFrame(), text);
		this.manager.broadcast(text);
		assertSingleTextFrame(kept.readFrame(), text);
		assertThat(this.manager.connectionCount()).isEqualTo(1);
	}

	@Test // #15
	void aSlowConsumerHoldingASharedFrameDoesNotHoldUpTheOthers() throws Exception {
		startServerWithSmallSendBuffers();
		SmallWindowClient slow = smallWindowClient("slow");
		RawWebSocket first = client("first", Map.of());
		RawWebSocket second = client("second", Map.of());
		awaitConnections(3);
		String large = "r".repeat(200 * 1024 - 1) + "!";
		this.manager.broadcast(large);
		for (int i = 0; i < 20; i++) {
			this.manager.broadcast("m" + i);
		}
		for (RawWebSocket reader : List.of(first, second)) {
			assertSingleTextFrame(reader.readFrame(), large);
			for (int i = 0; i < 20; i++) {
				assertSingleTextFrame(reader.readFrame(), "m" + i);
			}
		}
		// The slow consumer still holds its part-written view of the shared payload.
		await().atMost(WAIT).until(slow::hasBytes);
		assertThat(this.manager.isUserConnected("slow")).isTrue();
		assertSingleTextFrame(slow.readFrame(), large);
		for (int i = 0; i < 20; i++) {
			assertSingleTextFrame(slow.readFrame(), "m" + i);
		}
	}

	/**
	 * Returns the binding to the Tomcat on the class path, which must be a proven
	 * version.
	 */
	static TomcatFrames.Binding binding() {
		TomcatFrames.Binding binding = TomcatFrames.binding();
		assertThat(binding)
			.as("Tomcat %s is not among the versions the frame writer was proven on, %s: read its "
					+ "WsRemoteEndpointImplBase, run these tests against it and add it to TomcatFrames.PROVEN_VERSIONS",
					TomcatFrames.Binding.version(TomcatFrames.class.getClassLoader()), TomcatFrames.PROVEN_VERSIONS)
			.isNotNull();
		return binding;
	}

	private static void assertSingleTextFrame(RawWebSocket.Frame frame, String text) {
		assertThat(frame.fin()).as("a whole message in its frame").isTrue();
		assertThat(frame.opcode()).as("a text frame").isEqualTo(0x1);
		assertThat(frame.payload()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] readMessage(RawWebSocket client) throws Exception {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		RawWebSocket.Frame frame;
		do {
			frame = client.readFrame();
			message.writeBytes(frame.payload());
		}
		while (!frame.fin());
		return message.toByteArray();
	}

	private static String inflate(Inflater inflater, byte[] compressed) throws Exception {
		// RFC 7692: the sender dropped the empty block's tail, the receiver puts it back.
		ByteArrayOutputStream input = new ByteArrayOutputStream();
		input.writeBytes(compressed);
		input.writeBytes(new byte[] { 0, 0, (byte) 0xFF, (byte) 0xFF });
		inflater.setInput(input.toByteArray());
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		byte[] chunk = new byte[8192];
		int inflated;
		do {
			inflated = inflater.inflate(chunk);
			text.write(chunk, 0, inflated);
		}
		while (inflated > 0 || !(inflater.needsInput() || inflater.finished() || inflater.needsDictionary()));
		return text.toString(StandardCharsets.UTF_8);
	}

	private static JakartaSessionTransport transport(WebSocketSession session, boolean frames) {
		Session nativeSession = ((NativeWebSocketSession) session).getNativeSession(Session.class);
		Duration timeout = Duration.ofSeconds(10);
		return new JakartaSessionTransport(session, nativeSession, timeout,
				frames ? TomcatFrames.of(nativeSession, timeout.toMillis()) : null);
	}

}
