package dev.wsinfra.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.wsinfra.test.RawWebSocket;

/**
 * A WebSocket client on a socket whose receive buffer is set small before it connects, so
 * that a server's write larger than what the two sockets hold cannot complete until this
 * client reads: the write is split across the kernel's partial writes, or stays in the
 * middle of its frame while the client does not read. Frames are read with
 * {@link RawWebSocket}, which takes unmasked frames whatever side it plays.
 */
final class SmallWindowClient implements AutoCloseable {

	private final Socket socket;

	private final RawWebSocket raw;

	private SmallWindowClient(Socket socket) throws IOException {
		this.socket = socket;
		this.raw = RawWebSocket.serverSide(socket);
	}

	/**
	 * Connects and completes the opening handshake; reads nothing after it.
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @param receiveBuffer the socket's receive buffer in bytes
	 * @return the connected client
	 * @throws IOException on a network failure, or an answer other than 101
	 */
	static SmallWindowClient connect(int port, String pathAndQuery, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(receiveBuffer);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
		SmallWindowClient client = new SmallWindowClient(socket);
		// Any 16 bytes make a key.
		String key = Base64.getEncoder().encodeToString("ws-infra-window!".getBytes(StandardCharsets.US_ASCII));
		client.raw.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		String status = client.raw.readRequest().line();
		if (!status.contains(" 101 ")) {
			socket.close();
			throw new IOException("Handshake refused: " + status);
		}
		return client;
	}

	/**
	 * Returns whether the server's bytes have started to arrive, without reading them.
	 * @return whether any byte waits to be read
	 * @throws IOException on a network failure
	 */
	boolean hasBytes() throws IOException {
		return this.socket.getInputStream().available() > 0;
	}

	/**
	 * Reads the next frame whole.
	 * @return the frame
	 * @throws IOException on a network failure or a timeout
	 */
	RawWebSocket.Frame readFrame() throws IOException {
		return this.raw.readFrame();
	}

	/**
	 * Drops the connection with a TCP reset, in the middle of whatever it receives.
	 * @throws IOException on a network failure
	 */
	void drop() throws IOException {
		this.raw.drop();
	}

	@Override
	public void close() throws IOException {
		this.raw.close();
	}

}
