// A WebSocket server of a few lines for the client's bad-input tests: it speaks just enough of
// RFC 6455 (text frames under 64 KiB, close frames) to play a server that misbehaves in ways
// ws-infra's never does. Loopback only.
import { createServer } from "node:http";
import { createHash } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export class FakeConnection {
	constructor(socket, request) {
		this.socket = socket;
		this.request = request;
		this.received = [];
		this.waiters = [];
		this.closed = false;
		let buffer = Buffer.alloc(0);
		socket.on("data", (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			for (;;) {
				const frame = readFrame(buffer);
				if (frame === null) {
					break;
				}
				buffer = buffer.subarray(frame.length);
				if (frame.opcode === 1) {
					this.#received(frame.payload.toString("utf8"));
				}
				else if (frame.opcode === 8) {
					this.closed = true;
					socket.end();
				}
			}
		});
		socket.on("close", () => {
			this.closed = true;
		});
		socket.on("error", () => {
		});
	}

	#received(text) {
		this.received.push(text);
		const waiting = this.waiters;
		this.waiters = [];
		waiting.forEach((waiter) => waiter());
	}

	/** Waits for a text message that matches, received before or after the call. */
	async next(predicate = () => true, timeout = 5000) {
		const deadline = Date.now() + timeout;
		for (;;) {
			const index = this.received.findIndex(predicate);
			if (index >= 0) {
				return this.received.splice(index, 1)[0];
			}
			if (Date.now() > deadline) {
				throw new Error("no matching message within " + timeout + " ms; got " + JSON.stringify(this.received));
			}
			await new Promise((resolve) => {
				this.waiters.push(resolve);
				setTimeout(resolve, 50);
			});
		}
	}

	send(text) {
		this.socket.write(frame(1, Buffer.from(text, "utf8")));
	}

	close(code, reason = "") {
		const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
		payload.writeUInt16BE(code, 0);
		payload.write(reason, 2);
		this.socket.write(frame(8, payload));
		this.socket.end();
	}

	/** Drops the TCP connection without a close frame. */
	destroy() {
		this.socket.destroy();
	}
}

function frame(opcode, payload) {
	if (payload.length >= 65536) {
		throw new Error("the fake server sends frames under 64 KiB");
	}
	const header = (payload.length < 126) ? Buffer.from([0x80 | opcode, payload.length])
		: Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
	return Buffer.concat([header, payload]);
}

function readFrame(buffer) {
	if (buffer.length < 2) {
		return null;
	}
	const opcode = buffer[0] & 0x0f;
	const masked = (buffer[1] & 0x80) !== 0;
	let length = buffer[1] & 0x7f;
	let offset = 2;
	if (length === 126) {
		if (buffer.length < 4) {
			return null;
		}
		length = buffer.readUInt16BE(2);
		offset = 4;
	}
	else if (length === 127) {
		if (buffer.length < 10) {
			return null;
		}
		length = Number(buffer.readBigUInt64BE(2));
		offset = 10;
	}
	const maskLength = masked ? 4 : 0;
	if (buffer.length < offset + maskLength + length) {
		return null;
	}
	const mask = masked ? buffer.subarray(offset, offset + 4) : null;
	const payload = Buffer.from(buffer.subarray(offset + maskLength, offset + maskLength + length));
	if (mask !== null) {
		for (let i = 0; i < payload.length; i++) {
			payload[i] ^= mask[i % 4];
		}
	}
	return { opcode, payload, length: offset + maskLength + length };
}

/**
 * Starts a fake server on a free loopback port. onConnection gets each FakeConnection;
 * with { handshake: false } the server accepts TCP connections and never answers them.
 */
export async function startFakeServer(onConnection = () => {}, { handshake = true } = {}) {
	const connections = [];
	const sockets = new Set();
	const server = createServer();
	server.on("connection", (socket) => {
		sockets.add(socket);
		socket.on("close", () => sockets.delete(socket));
	});
	server.on("upgrade", (request, socket) => {
		if (!handshake) {
			return;
		}
		const accept = createHash("sha1").update(request.headers["sec-websocket-key"] + GUID).digest("base64");
		const offered = (request.headers["sec-websocket-protocol"] || "").split(",").map((p) => p.trim());
		const lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
			"Sec-WebSocket-Accept: " + accept];
		if (offered.includes("bearer")) {
			lines.push("Sec-WebSocket-Protocol: bearer");
		}
		socket.write(lines.join("\r\n") + "\r\n\r\n");
		const connection = new FakeConnection(socket, request);
		connections.push(connection);
		onConnection(connection);
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	return {
		url: "ws://127.0.0.1:" + server.address().port + "/fake",
		connections,
		async stop() {
			sockets.forEach((socket) => socket.destroy());
			await new Promise((resolve) => server.close(resolve));
		}
	};
}
