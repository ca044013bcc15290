package dev.wsinfra.redis.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} on a free loopback port, started for a test class
 * ({@code @RegisterExtension static RedisServer redis = new RedisServer();}), without
 * persistence, so that a restart loses everything like a real crash of a cache. Tests may
 * {@link #stop()} and {@link #start()} it (same port) to simulate an outage. A test that
 * runs {@code SAVE} leaves a snapshot in the server's own temporary directory, which the
 * next start loads: a restore of an older backup. {@link #pause()} stalls it instead (it
 * keeps its connections and accepts new ones but answers nothing) until
 * {@link #resume()}. Never the machine's own Redis.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(20);

	private int port;

	private Path directory;

	private volatile Process process;

	// Kills the server when the JVM exits before afterAll, as when the build is stopped.
	private final Thread killOnExit = new Thread(() -> {
		Process running = this.process;
		if (running != null) {
			running.destroyForcibly();
		}
	}, "redis-server-kill-on-exit");

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		close();
	}

	/**
	 * Kills the server and deletes its directory, for a server managed without the
	 * extension.
	 */
	@Override
	public void close() throws IOException {
		stop();
		if (this.directory != null) {
			Files.deleteIfExists(this.directory.resolve("dump.rdb"));
			Files.deleteIfExists(this.directory);
		}
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/**
	 * Starts the server, on a new free port the first time and on the same port after a
	 * stop, and waits until it answers PING.
	 */
	public synchronized void start() throws IOException {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		if (this.port == 0) {
			this.port = freePort();
			this.directory = Files.createTempDirectory("redis-" + this.port + "-");
			Runtime.getRuntime().addShutdownHook(this.killOnExit);
		}
		Path log = Files.createTempFile("redis-" + this.port + "-", ".log");
		this.process = new ProcessBuilder(executable(), "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", this.directory.toString(),
				"--dbfilename", "dump.rdb")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited: " + Files.readString(log));
			}
			return "+PONG".equals(command("PING"));
		});
	}

	/**
	 * Stalls the server with {@code SIGSTOP}: connections stay open and new ones are
	 * accepted by the kernel, but no command is answered until {@link #resume()}.
	 */
	public synchronized void pause() throws IOException, InterruptedException {
		signal("STOP");
	}

	/**
	 * Lets a paused server answer again ({@code SIGCONT}); nothing when it is not
	 * running.
	 */
	public synchronized void resume() throws IOException, InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			signal("CONT");
		}
	}

	private void signal(String signal) throws IOException, InterruptedException {
		if (this.process == null || !this.process.isAlive()) {
			throw new IllegalStateException("redis-server is not running");
		}
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -" + signal + " failed for redis-server " + this.process.pid());
		}
	}

	/**
	 * Kills the server at once, losing its data; a paused one too.
	 */
	public synchronized void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroyForcibly();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/**
	 * Sends an inline command and returns the first line of the reply.
	 */
	public String command(String command) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 1000);
			socket.setSoTimeout(2000);
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String executable() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				File file = new File(directory, "redis-server");
				if (file.canExecute()) {
					return file.getAbsolutePath();
				}
			}
		}
		throw new IllegalStateException("redis-server is not installed; .ci/run installs it from Debian's packages");
	}

}
