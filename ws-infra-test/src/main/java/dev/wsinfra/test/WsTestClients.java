package dev.wsinfra.test;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * Opens {@link WsTestClient}s against one local server and closes them all at once.
 * <p>
 * In a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} (or {@code DEFINED_PORT})
 * test, the kit registers one as a bean that reads {@code local.server.port} when a
 * client opens, and closes the clients after each test method. Elsewhere, create one with
 * {@link #onPort(int)} and close it yourself. Thread-safe.
 *
 * @since 0.1.0
 */
public final class WsTestClients implements AutoCloseable {

	private final IntSupplier port;

	private final List<WsTestClient> opened = new CopyOnWriteArrayList<>();

	WsTestClients(IntSupplier port) {
		this.port = port;
	}

	/**
	 * Creates a factory for a server on a loopback port.
	 * @param port the server's port
	 * @return the factory
	 */
	public static WsTestClients onPort(int port) {
		return new WsTestClients(() -> port);
	}

	/**
	 * Returns the URI of a path on the server.
	 * @param path the path, with a query if needed, starting with {@code /}
	 * @return {@code ws://localhost:<port><path>}
	 */
	public URI uri(String path) {
		return URI.create("ws://localhost:" + this.port.getAsInt() + path);
	}

	/**
	 * Starts a client to a path on the server; {@link #close()} closes it once opened.
	 * @param path the path, with a query if needed, starting with {@code /}
	 * @return a builder to set headers, subprotocols and tokens on before opening
	 */
	public WsTestClient.Builder to(String path) {
		return new WsTestClient.Builder(uri(path), this.opened::add);
	}

	/**
	 * Opens a client to a path on the server with no extra headers.
	 * @param path the path, with a query if needed, starting with {@code /}
	 * @return the open client
	 */
	public WsTestClient open(String path) {
		return to(path).open();
	}

	/** Closes every client opened so far; the factory remains usable. */
	@Override
	public void close() {
		for (WsTestClient client : this.opened) {
			client.close();
		}
		this.opened.clear();
	}

}
