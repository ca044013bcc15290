package dev.wsinfra.samples.loadbalancer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A load balancer running as a process of the test's own, on loopback, with a
 * configuration rendered from the shipped file; stopped by {@link #close()}.
 */
final class ProxyProcess implements AutoCloseable {

	private final LoadBalancer balancer;

	private final LoadBalancer.Settings settings;

	private final Process process;

	private ProxyProcess(LoadBalancer balancer, LoadBalancer.Settings settings, Process process) {
		this.balancer = balancer;
		this.settings = settings;
		this.process = process;
	}

	static ProxyProcess start(LoadBalancer balancer, LoadBalancer.Settings settings) throws IOException {
		Files.createDirectories(settings.directory());
		Path config = settings.directory().resolve(balancer.configFileName());
		Files.writeString(config, balancer.render(balancer.shipped(), settings));
		Process process = new ProcessBuilder(balancer.command(config, settings)).redirectErrorStream(true)
			.redirectOutput(settings.directory().resolve("output.log").toFile())
			.start();
		ProxyProcess proxy = new ProxyProcess(balancer, settings, process);
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive() || accepts(settings.port()));
			if (!process.isAlive()) {
				throw new IllegalStateException(balancer.executable() + " did not start: " + proxy.output());
			}
		}
		catch (RuntimeException ex) {
			proxy.close();
			throw ex;
		}
		return proxy;
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	int port() {
		return this.settings.port();
	}

	int statsPort() {
		return this.settings.statsPort();
	}

	String url(String scheme, String path) {
		return scheme + "://127.0.0.1:" + this.settings.port() + path;
	}

	/** Returns what the proxy logged of the requests so far. */
	String accessLog() {
		return read(this.balancer.accessLog(this.settings));
	}

	String output() {
		return read(this.settings.directory().resolve("output.log"));
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
