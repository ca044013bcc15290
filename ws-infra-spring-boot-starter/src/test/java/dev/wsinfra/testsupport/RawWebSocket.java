package dev.wsinfra.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket peer written on a plain socket, for what a well-behaved client library will not
 * do: offer permessage-deflate and read the raw handshake answer, or never answer a ping.
 * Blocking, single-threaded, with a read timeout on every call.
 */
public final class RawWebSocket implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Socket socket;

	private final DataInputStream input;

	private final OutputStream output;

	private final int status;

	private final Map<String, String> responseHeaders;

	private RawWebSocket(String host, int port, String pathAndQuery, Map<String, String> headers) throws IOException {
		this.socket = new Socket(host, port);
		this.socket.setSoTimeout((int) WsTestClient.WAIT.toMillis());
		this.input = new DataInputStream(this.socket.getInputStream());
		this.output = this.socket.getOutputStream();
		byte[] key = new byte[16];
		RANDOM.nextBytes(key);
		StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
			.append("Host: ").append(host).append(':').append(port).append("\r\n")
			.append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
			.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n")
			.append("Sec-WebSocket-Version: 13\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		request.append("\r\n");
		this.output.write(request.toString().getBytes(StandardCharsets.US_ASCII));
		this.output.flush();
		String statusLine = readLine(this.input);
		this.status = Integer.parseInt(statusLine.split(" ")[1]);
		this.responseHeaders = new LinkedHashMap<>();
		for (String line = readLine(this.input); !line.isEmpty(); line = readLine(this.input)) {
			int colon = line.indexOf(':');
			this.responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
					line.substring(colon + 1).trim());
		}
	}

	public static RawWebSocket connect(int port, String pathAndQuery, Map<String, String> headers)
			throws IOException {
		return new RawWebSocket("127.0.0.1", port, pathAndQuery, headers);
	}

	/**
	 * Sends a handshake whose headers exceed Tomcat's default limit of 8 KB, which Tomcat
	 * refuses before any valve, filter or handler sees it.
	 * @return the status of the answer
	 */
	public static int statusWithOversizedHeaders(int port, String pathAndQuery) throws IOException {
		try (RawWebSocket raw = connect(port, pathAndQuery, Map.of("X-Padding", "p".repeat(9 * 1024)))) {
			return raw.status();
		}
	}

	public int status() {
		return this.status;
	}

	/** Returns a response header, by lower-case name. */
	public String header(String name) {
		return this.responseHeaders.get(name.toLowerCase(Locale.ROOT));
	}

	public void sendText(String text) throws IOException {
		sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
	}

	public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
		send(frame(opcode, fin, true, payload));
	}

	/**
	 * Writes frames built with {@link #frame} in one write, so that the server reads them
	 * together.
	 */
	public void send(byte[]... frames) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (byte[] frame : frames) {
			bytes.write(frame);
		}
		this.output.write(bytes.toByteArray());
		this.output.flush();
	}

	/**
	 * Returns a frame as a client writes it: masked, unless told otherwise to break the
	 * protocol; the opcode may be a reserved one for the same purpose.
	 */
	public static byte[] frame(int opcode, boolean fin, boolean masked, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
		int maskBit = masked ? 0x80 : 0;
		frame.write((fin ? 0x80 : 0) | opcode);
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length < 65536) {
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
		byte[] mask = new byte[4];
		if (masked) {
			RANDOM.nextBytes(mask);
			frame.write(mask, 0, 4);
		}
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

	/**
	 * Reads the next data message, answering pings on the way.
	 * @return the text of the message
	 * @throws IOException on a close frame or a timeout
	 */
	public String readText() throws IOException {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		while (true) {
			int first = this.input.readUnsignedByte();
			int second = this.input.readUnsignedByte();
			long length = second & 0x7F;
			if (length == 126) {
				length = this.input.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.input.readLong();
			}
			byte[] payload = new byte[(int) length];
			this.input.readFully(payload);
			int opcode = first & 0x0F;
			if (opcode == 0x9) {
				sendFrame(0xA, true, payload);
				continue;
			}
			if (opcode == 0x8) {
				throw new IOException("closed by the server: " + ((payload.length >= 2)
						? ((payload[0] & 0xFF) << 8 | (payload[1] & 0xFF)) : 1005));
			}
			if (opcode == 0xA) {
				continue;
			}
			message.write(payload);
			if ((first & 0x80) != 0) {
				return message.toString(StandardCharsets.UTF_8);
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private static String readLine(InputStream input) throws IOException {
		StringBuilder line = new StringBuilder();
		int previous = -1;
		for (int next = input.read(); next != -1; next = input.read()) {
			if (previous == '\r' && next == '\n') {
				line.setLength(line.length() - 1);
				return line.toString();
			}
			line.append((char) next);
			previous = next;
		}
		throw new IOException("connection closed during the handshake");
	}

}
