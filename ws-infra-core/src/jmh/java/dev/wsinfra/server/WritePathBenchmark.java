package dev.wsinfra.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.testsupport.TomcatServer;
import jakarta.websocket.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * One text message written to every session of a real Tomcat, over loopback to clients
 * that one thread reads and discards: through {@link TomcatFrames} ({@code frames}, the
 * payload encoded once and written as one frame) or through the WebSocket API
 * ({@code sendText}, encoded for each session into Tomcat's buffer and written as that
 * many frames). Tomcat's buffers are 1 KiB, as ws-infra's starter sets them. An operation
 * is one message to all the sessions; divide by {@code sessions} for one delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024")
public class WritePathBenchmark {

	@Param({ "100", "1024", "4096", "16384" })
	public int size;

	@Param({ "frames", "sendText" })
	public String path;

	@Param({ "10" })
	public int sessions;

	private final List<WebSocketSession> serverSessions = new CopyOnWriteArrayList<>();

	private final List<JakartaSessionTransport> transports = new ArrayList<>();

	private TomcatServer server;

	private Sink sink;

	private String text;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.server = TomcatServer.start(new AbstractWebSocketHandler() {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) {
				WritePathBenchmark.this.serverSessions.add(session);
			}

		}, "/ws");
		this.sink = new Sink();
		for (int i = 0; i < this.sessions; i++) {
			this.sink.connect(this.server.port());
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.serverSessions.size() < this.sessions) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Sessions did not open");
			}
			Thread.onSpinWait();
		}
		this.sink.start();
		Duration timeout = Duration.ofSeconds(10);
		for (WebSocketSession session : this.serverSessions) {
			Session nativeSession = ((NativeWebSocketSession) session).getNativeSession(Session.class);
			TomcatFrames frames = "frames".equals(this.path) ? TomcatFrames.of(nativeSession, timeout.toMillis())
					: null;
			if ("frames".equals(this.path) && frames == null) {
				throw new IllegalStateException("No frame writer for this Tomcat");
			}
			this.transports.add(new JakartaSessionTransport(session, nativeSession, timeout, frames));
		}
		this.text = "{\"type\":\"bench\",\"pad\":\"" + "x".repeat(Math.max(0, this.size - 24)) + "\"}";
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.sink.close();
		this.server.close();
	}

	@Benchmark
	public void broadcast() throws IOException {
		OutboundMessage message = OutboundMessage.text(this.text);
		for (JakartaSessionTransport transport : this.transports) {
			transport.write(message);
		}
	}

	/**
	 * Client sockets that one thread reads and discards, as a load generator's event loop
	 * does.
	 */
	static final class Sink implements AutoCloseable {

		private final Selector selector = Selector.open();

		private final List<SocketChannel> channels = new ArrayList<>();

		private final Thread thread = new Thread(this::run, "bench-sink");

		private volatile boolean running = true;

		Sink() throws IOException {
		}

		void connect(int port) throws IOException {
			SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			channel.write(ByteBuffer.wrap(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1)));
			// Read the answer up to its blank line, byte by byte, so that no frame is
			// consumed with it.
			ByteBuffer one = ByteBuffer.allocate(1);
			int matched = 0;
			while (matched < 4) {
				one.clear();
				if (channel.read(one) < 0) {
					throw new IOException("Closed during the handshake");
				}
				byte b = one.get(0);
				matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			channel.configureBlocking(false);
			channel.register(this.selector, SelectionKey.OP_READ);
			this.channels.add(channel);
		}

		void start() {
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void run() {
			ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
			try {
				while (this.running) {
					this.selector.select(100);
					for (SelectionKey key : this.selector.selectedKeys()) {
						buffer.clear();
						((SocketChannel) key.channel()).read(buffer);
					}
					this.selector.selectedKeys().clear();
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() throws IOException {
			this.running = false;
			try {
				this.thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			for (SocketChannel channel : this.channels) {
				channel.close();
			}
			this.selector.close();
		}

	}

}
