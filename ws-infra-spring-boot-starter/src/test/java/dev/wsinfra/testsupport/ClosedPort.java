package dev.wsinfra.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port that nothing listens on, for a server that cannot be reached: one the
 * system just handed out and took back, so a connection to it is refused at once.
 */
public final class ClosedPort {

	private ClosedPort() {
	}

	public static int get() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Returns an HTTP URL on a closed loopback port. */
	public static String url(String path) {
		return "http://127.0.0.1:" + get() + path;
	}

}
