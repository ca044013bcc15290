package dev.wsinfra.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One connection of a {@link RawServer}: raw HTTP and RFC 6455 frames, every read bounded by a
 * socket timeout.
 */
public final class RawConnection implements AutoCloseable {

	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final Socket socket;

	private final int index;

	private final DataInputStream in;

	private final OutputStream out;

	RawConnection(Socket socket, int index) throws IOException {
		this.socket = socket;
		this.index = index;
		socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/** Returns the position of this connection among those the server accepted, from 0. */
	public int index() {
		return this.index;
	}

	/** An HTTP request: its request line and headers, names in lower case. */
	public record Request(String line, Map<String, String> headers) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/** A frame received from the client, unmasked. */
	public record Frame(boolean fin, int opcode, byte[] payload) {

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		public int closeCode() {
			return (this.payload.length < 2) ? 1005 : ((this.payload[0] & 0xFF) << 8) | (this.payload[1] & 0xFF);
		}

		public String closeReason() {
			return (this.payload.length <= 2) ? ""
					: new String(this.payload, 2, this.payload.length - 2, StandardCharsets.UTF_8);
		}

	}

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

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != '\n') {
			if (b == -1) {
				throw new IOException("Connection closed while reading a line");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/** Answers with a status line and headers, and no body. */
	public void respond(String statusLine, String... headers) throws IOException {
		StringBuilder response = new StringBuilder(statusLine).append("\r\n");
		for (String header : headers) {
			response.append(header).append("\r\n");
		}
		response.append("Content-Length: 0\r\n\r\n");
		this.out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
		this.out.flush();
	}

	/** Completes the opening handshake of a request. */
	public void upgrade(Request request) throws IOException {
		upgrade(request, new byte[0]);
	}

	/** Completes the opening handshake of a request, with the first bytes in the same write. */
	public void upgrade(Request request, byte[] first) throws IOException {
		String accept = acceptKey(request.header("Sec-WebSocket-Key"));
		String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(response.getBytes(StandardCharsets.ISO_8859_1));
		bytes.writeBytes(first);
		write(bytes.toByteArray());
	}

	/** Reads the request and completes the handshake. */
	public Request accept() throws IOException {
		Request request = readRequest();
		upgrade(request);
		return request;
	}

	public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
		write(frame(fin, opcode, payload));
	}

	/** Writes bytes as they are, in one write: several frames, or part of one. */
	public void write(byte[] bytes) throws IOException {
		synchronized (this.out) {
			this.out.write(bytes);
			this.out.flush();
		}
	}

	/** Returns an unmasked frame, as a server sends it. */
	public static byte[] frame(boolean fin, int opcode, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(payload.length);
		}
		else if (payload.length < 65_536) {
			frame.write(126);
			frame.write(payload.length >> 8);
			frame.write(payload.length);
		}
		else {
			frame.write(127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) ((long) payload.length >> shift));
			}
		}
		frame.writeBytes(payload);
		return frame.toByteArray();
	}

	public void sendText(String text) throws IOException {
		sendFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
	}

	public void sendClose(int code, String reason) throws IOException {
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + text.length];
		payload[0] = (byte) (code >> 8);
		payload[1] = (byte) code;
		System.arraycopy(text, 0, payload, 2, text.length);
		sendFrame(true, 0x8, payload);
	}

	/** Reads the next frame; a client's frames are masked. */
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

	/** Reads frames until one with the opcode arrives, answering pings on the way. */
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

	/** Returns whether the client closed TCP: the next read sees the end of the stream. */
	public boolean readsEndOfStream() throws IOException {
		return this.in.read() == -1;
	}

	/** Drops the connection with a TCP reset, without a close frame. */
	public void drop() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

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

}
