package dev.wsinfra.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wsinfra.test.RawWebSocket;

/**
 * A hand-written WebSocket server on a random loopback port, for peers that misbehave in
 * ways a real server will not: each accepted connection runs the script, which reads and
 * writes the raw HTTP and frames through a {@link RawWebSocket}. Script failures are kept
 * and rethrown by {@link #close()}, so a test cannot pass over a broken script.
 */
public final class RawServer implements AutoCloseable {

	/** What the server does with one connection. */
	@FunctionalInterface
	public interface Script {

		/**
		 * Runs the script on one connection.
		 * @param connection the server's side of the connection
		 * @param index the position of the connection among those accepted, from 0
		 * @throws Exception on any failure, kept by the server
		 */
		void run(RawWebSocket connection, int index) throws Exception;

	}

	private final ServerSocket serverSocket;

	private final Script script;

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "raw-server");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Long> acceptedAt = new CopyOnWriteArrayList<>();

	private final List<RawWebSocket> connections = new CopyOnWriteArrayList<>();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	private final AtomicInteger count = new AtomicInteger();

	private volatile boolean closed;

	private RawServer(Script script) throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.script = script;
		this.threads.execute(this::acceptLoop);
	}

	/**
	 * Starts a server that runs the script for each connection.
	 * @param script the script
	 * @return the started server
	 * @throws IOException if no port can be bound
	 */
	public static RawServer start(Script script) throws IOException {
		return new RawServer(script);
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket socket = this.serverSocket.accept();
				this.acceptedAt.add(System.nanoTime());
				RawWebSocket connection = RawWebSocket.serverSide(socket);
				int index = this.count.getAndIncrement();
				this.connections.add(connection);
				this.threads.execute(() -> runScript(connection, index));
			}
			catch (IOException ex) {
				if (!this.closed) {
					this.failures.add(ex);
				}
			}
		}
	}

	private void runScript(RawWebSocket connection, int index) {
		try {
			this.script.run(connection, index);
		}
		catch (Throwable ex) {
			if (!this.closed) {
				this.failures.add(ex);
			}
		}
	}

	public URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.serverSocket.getLocalPort() + path);
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/** Returns the {@link System#nanoTime()} of each accepted connection, in order. */
	public List<Long> acceptedAt() {
		return List.copyOf(this.acceptedAt);
	}

	public int connectionCount() {
		return this.count.get();
	}

	/** Returns failures of scripts so far. */
	public List<Throwable> failures() {
		return List.copyOf(this.failures);
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.serverSocket.close();
		for (RawWebSocket connection : this.connections) {
			connection.close();
		}
		this.threads.shutdownNow();
		if (!this.failures.isEmpty()) {
			AssertionError error = new AssertionError("Raw server script failed", this.failures.get(0));
			this.failures.stream().skip(1).forEach(error::addSuppressed);
			throw error;
		}
	}

}
