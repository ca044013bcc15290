package dev.wsinfra.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection written on a plain socket, raw HTTP and RFC 6455 frames, for
 * what a well-behaved peer will not do: hand-crafted, reserved or unmasked frames,
 * handshakes with odd headers, pings left unanswered.
 * <p>
 * It plays either side. {@link #connect} sends a client's handshake and reads the answer;
 * its frames are masked. {@link #serverSide} wraps a socket that a test's server
 * accepted: the test reads the request and answers it; its frames are unmasked. Blocking,
 * for one thread (writes may come from several); every read is bounded by a socket
 * timeout of {@link WsTestClient#DEFAULT_TIMEOUT}.
 *
 * @since 0.1.0
 */
public final class RawWebSocket implements AutoCloseable {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Socket socket;

	private final boolean client;

	private final DataInputStream in;

	/** Guarded by itself: a script may write from two threads. */
	private final OutputStream out;

	private int status;

	private final Map<String, String> responseHeaders = new LinkedHashMap<>();

	private RawWebSocket(Socket socket, boolean client) throws IOException {
		this.socket = socket;
		this.client = client;
		socket.setSoTimeout((int) WsTestClient.DEFAULT_TIMEOUT.toMillis());
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Connects to a loopback port as a client and sends an opening handshake.
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @param headers extra request headers
	 * @return the connection, with the answer's {@link #status()} and {@link #header
	 * headers} read; after a 101 it speaks frames
	 * @throws IOException on a network failure
	 */
	public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
		RawWebSocket raw = new RawWebSocket(new Socket(InetAddress.getLoopbackAddress(), port), true);
		byte[] key = new byte[16];
		RANDOM.nextBytes(key);
		StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n").append("Host: 127.0.0.1:")
			.append(port)
			.append("\r\n")
			.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
			.append("Sec-WebSocket-Key: ")
			.append(Base64.getEncoder().encodeToString(key))
			.append("\r\n")
			.append("Sec-WebSocket-Version: 13\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		request.append("\r\n");
		raw.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
		Request response = raw.readRequest();
		raw.status = Integer.parseInt(response.line().split(" ")[1]);
		raw.responseHeaders.putAll(response.headers());
		return raw;
	}

	/**
	 * Wraps a socket that a server accepted; nothing is read yet.
	 * @param socket the accepted socket
	 * @return the server's side of the connection
	 * @throws IOException on a network failure
	 */
	public static RawWebSocket serverSide(Socket socket) throws IOException {
		return new RawWebSocket(socket, false);
	}

	/**
	 * Sends a client's handshake whose headers exceed the usual 8 KB limit of servers,
	 * which refuse it before any filter or handler sees it.
	 * @param port the server's port
	 * @param pathAndQuery the request target
	 * @return the status of the answer
	 * @throws IOException on a network failure
	 */
	public static int statusWithOversizedHeaders(int port, String pathAndQuery) throws IOException {
		try (RawWebSocket raw = connect(port, pathAndQuery, Map.of("X-Padding", "p".repeat(9 * 1024)))) {
			return raw.status();
		}
	}

	/**
	 * Returns the status of the answer to {@link #connect}'s handshake.
	 * @return the HTTP status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns a header of the answer to {@link #connect}'s handshake.
	 * @param name the name, in any case
	 * @return the value, or {@code null}
	 */
	public @Nullable String header(String name) {
		return this.responseHeaders.get(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * Reads an HTTP head: the request a server receives, or the answer a client receives.
	 * @return its first line and headers
	 * @throws IOException on a network failure or a timeout
	 */
	public Request readRequest() throws IOException {
		String line = readLine();
		Map<String, String> headers = new LinkedHashMap<>();
		for (String header = readLine(); !header.isEmpty(); header = readLine()) {
			int colon = header.indexOf(':');
			headers.merge(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
					header.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
		}
		return new Request(line, headers);
	}

	/**
	 * Answers a request with a status line and headers, and no body.
	 * @param statusLine for example {@code HTTP/1.1 503 Service Unavailable}
	 * @param headers whole header lines
	 * @throws IOException on a network failure
	 */
	public void respond(String statusLine, String... headers) throws IOException {
		StringBuilder response = new StringBuilder(statusLine).append("\r\n");
		for (String header : headers) {
			response.append(header).append("\r\n");
		}
		response.append("Content-Length: 0\r\n\r\n");
		write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * Completes the opening handshake of a request.
	 * @param request the request read
	 * @throws IOException on a network failure
	 */
	public void upgrade(Request request) throws IOException {
		upgrade(request, new byte[0]);
	}

	/**
	 * Completes the opening handshake of a request, with the first bytes in the same
	 * write.
	 * @param request the request read
	 * @param first bytes that follow the answer at once
	 * @throws IOException on a network failure
	 */
	public void upgrade(Request request, byte[] first) throws IOException {
		String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + acceptKey(String.valueOf(request.header("Sec-WebSocket-Key")))
				+ "\r\n\r\n";
		write(response.getBytes(StandardCharsets.ISO_8859_1), first);
	}

	/**
	 * Reads the request and completes the handshake.
	 * @return the request
	 * @throws IOException on a network failure or a timeout
	 */
	public Request accept() throws IOException {
		Request request = readRequest();
		upgrade(request);
		return request;
	}

	/**
	 * Sends one frame, masked when this is the client's side.
	 * @param fin whether it is the last frame of the message
	 * @param opcode the opcode, reserved ones included
	 * @param payload the payload
	 * @throws IOException on a network failure
	 */
	public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		write(this.client ? maskedFrame(fin, opcode, payload) : frame(fin, opcode, payload));
	}

	/**
	 * Sends a text message in one frame.
	 * @param text the text
	 * @throws IOException on a network failure
	 */
	public void sendText(String text) throws IOException {
		sendFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends a close frame.
	 * @param code the status code
	 * @param reason the reason
	 * @throws IOException on a network failure
	 */
	public void sendClose(int code, String reason) throws IOException {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		sendFrame(true, 0x8, payload);
	}

	/**
	 * Writes bytes as they are, in one write: several frames, or part of one, so that the
	 * peer reads them together.
	 * @param chunks the bytes
	 * @throws IOException on a network failure
	 */
	public void write(byte[]... chunks) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (byte[] chunk : chunks) {
			bytes.writeBytes(chunk);
		}
		synchronized (this.out) {
			this.out.write(bytes.toByteArray());
			this.out.flush();
		}
	}

	/**
	 * Reads the next frame, unmasking it if it is masked.
	 * @return the frame
	 * @throws IOException on a network failure or a timeout
	 */
	public Frame readFrame() throws IOException {
		int first = this.in.readUnsignedByte();
		int second = this.in.readUnsignedByte();
		long length = second & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		byte[] mask = new byte[4];
		if ((second & 0x80) != 0) {
			this.in.readFully(mask);
		}
		byte[] payload = new byte[Math.toIntExact(length)];
		this.in.readFully(payload);
		for (int i = 0; i < payload.length; i++) {
			payload[i] ^= mask[i % 4];
		}
		return new Frame((first & 0x80) != 0, first & 0x0F, payload);
	}

	/**
	 * Reads frames until one with the opcode arrives, answering pings on the way.
	 * @param opcode the opcode
	 * @return the frame
	 * @throws IOException on a network failure or a timeout
	 */
	public Frame readUntil(int opcode) throws IOException {
		while (true) {
			Frame frame = readFrame();
			if (frame.opcode() == opcode) {
				return frame;
			}
			if (frame.opcode() == 0x9) {
				sendFrame(true, 0xA, frame.payload());
			}
		}
	}

	/**
	 * Reads the next data message, joining its fragments and answering pings on the way.
	 * @return the message as text
	 * @throws IOException on a close frame, a network failure or a timeout
	 */
	public String readText() throws IOException {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		while (true) {
			Frame frame = readFrame();
			switch (frame.opcode()) {
				case 0x8 -> throw new IOException("Closed by the peer: " + frame.closeCode());
				case 0x9 -> sendFrame(true, 0xA, frame.payload());
				case 0xA -> {
				}
				default -> {
					message.writeBytes(frame.payload());
					if (frame.fin()) {
						return message.toString(StandardCharsets.UTF_8);
					}
				}
			}
		}
	}

	/**
	 * Returns whether the peer closed TCP: the next read sees the end of the stream.
	 * @return whether the stream ended
	 * @throws IOException on a network failure or a timeout
	 */
	public boolean readsEndOfStream() throws IOException {
		return this.in.read() == -1;
	}

	/**
	 * Drops the connection with a TCP reset, without a close frame.
	 * @throws IOException on a network failure
	 */
	public void drop() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * Returns an unmasked frame, as a server sends it.
	 * @param fin whether it is the last frame of the message
	 * @param opcode the opcode
	 * @param payload the payload
	 * @return the frame's bytes
	 */
	public static byte[] frame(boolean fin, int opcode, byte[] payload) {
		return encode(fin, opcode, null, payload);
	}

	/**
	 * Returns a masked frame, as a client sends it.
	 * @param fin whether it is the last frame of the message
	 * @param opcode the opcode
	 * @param payload the payload
	 * @return the frame's bytes
	 */
	public static byte[] maskedFrame(boolean fin, int opcode, byte[] payload) {
		byte[] mask = new byte[4];
		RANDOM.nextBytes(mask);
		return encode(fin, opcode, mask, payload);
	}

	private static byte[] encode(boolean fin, int opcode, byte @Nullable [] mask, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		int maskBit = (mask != null) ? 0x80 : 0;
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length < 65_536) {
			frame.write(maskBit | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >>> shift));
			}
		}
		if (mask == null) {
			frame.writeBytes(payload);
			return frame.toByteArray();
		}
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/**
	 * Returns the {@code Sec-WebSocket-Accept} value that answers a key.
	 * @param key the request's {@code Sec-WebSocket-Key}
	 * @return the accept value
	 */
	public static String acceptKey(String key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1")
				.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
			if (b == -1) {
				throw new IOException("Connection closed while reading a line");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * An HTTP head: its first line and headers, names in lower case.
	 *
	 * @param line the request or status line
	 * @param headers the headers, repeated ones joined with a comma
	 */
	public record Request(String line, Map<String, String> headers) {

		/**
		 * Returns a header.
		 * @param name the name, in any case
		 * @return the value, or {@code null}
		 */
		public @Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/**
	 * A frame as received, unmasked.
	 *
	 * @param fin whether it is the last frame of its message
	 * @param opcode the opcode
	 * @param payload the payload
	 */
	public record Frame(boolean fin, int opcode, byte[] payload) {

		/**
		 * Returns the payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * Returns the status code of a close frame.
		 * @return the code, 1005 when the payload has none
		 */
		public int closeCode() {
			return (this.payload.length < 2) ? 1005 : ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

		/**
		 * Returns the reason of a close frame.
		 * @return the reason, empty when the payload has none
		 */
		public String closeReason() {
			return (this.payload.length <= 2) ? ""
					: new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8);
		}

	}

}
