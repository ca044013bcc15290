// The client against a server that misbehaves: it stays alive, reports what went wrong, and
// finds a dead connection by its heartbeat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeServer } from "./fake-server.mjs";
import { WsInfraClient, record } from "./support.mjs";

function client(url, options = {}) {
	return new WsInfraClient(url, { reconnect: { baseDelay: 50, maxDelay: 200 }, ...options });
}

test("a reply to an unknown request id is reported and the client stays usable", async () => {
	const server = await startFakeServer((connection) => {
		connection.send(JSON.stringify({ type: "ws.reply", id: "nobody.1", data: 1 }));
	});
	const ws = client(server.url);
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("state", (e) => e.state === "open");
		const connection = server.connections[0];
		const reply = ws.request("echo", { n: 1 });
		const request = JSON.parse(await connection.next((text) => text.includes("ws.request")));
		const clientId = request.id.split(".")[0];
		connection.send(JSON.stringify({ type: "ws.reply", id: clientId + ".999", data: "stray" }));
		const error = await events.waitFor("error", (e) => e.code === "unknown_reply");
		assert.match(error.message, /999/);
		connection.send(JSON.stringify({ type: "ws.reply", id: request.id, data: { n: 1 } }));
		assert.deepEqual(await reply, { n: 1 });
		// the reply to another client of the same user passed quietly
		assert.equal(events.of("error").filter((e) => e.code === "unknown_reply").length, 1);
		assert.equal(ws.state, "open");
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("a malformed server message is reported and the next one still arrives", async () => {
	const server = await startFakeServer((connection) => {
		connection.send("{not json");
		connection.send(JSON.stringify({ type: "ws.reply" }));
		connection.send(JSON.stringify({ type: "hello" }));
	});
	const ws = client(server.url);
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("message", (m) => m.type === "hello");
		const codes = events.of("error").map((e) => e.code);
		assert.deepEqual(codes, ["malformed_message", "malformed_message"]);
		assert.equal(ws.state, "open");
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("a request the server never answers is rejected on timeout and the client stays open", async () => {
	const server = await startFakeServer();
	const ws = client(server.url, { heartbeat: false });
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("state", (e) => e.state === "open");
		await assert.rejects(ws.request("slow", null, { timeout: 300 }), (error) => error.code === "timeout");
		// a late reply to it is expected, not reported
		const request = JSON.parse(await server.connections[0].next((text) => text.includes("slow")));
		server.connections[0].send(JSON.stringify({ type: "ws.reply", id: request.id, data: "late" }));
		server.connections[0].send(JSON.stringify({ type: "marker" }));
		await events.waitFor("message", (m) => m.type === "marker");
		assert.deepEqual(events.of("error"), []);
		assert.equal(ws.state, "open");
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("a server that stops answering is found by the heartbeat and replaced", async () => {
	const server = await startFakeServer();
	const ws = client(server.url, { heartbeat: { interval: 300, timeout: 300 } });
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("state", (e) => e.state === "open");
		const silentSince = Date.now();
		await server.connections[0].next((text) => text === "{\"type\":\"ws.ping\"}");
		const dead = await events.waitFor("state", (e) => e.state === "reconnecting");
		assert.match(dead.reason, /no answer to the heartbeat within 300 ms/);
		// interval + timeout, plus a tick of the check
		assert.ok(Date.now() - silentSince < 300 + 300 + 400, "found in " + (Date.now() - silentSince) + " ms");
		await events.waitFor("state", (e) => e.state === "open" && e.reason === "reconnected");
		assert.equal(server.connections.length, 2);
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("an answered heartbeat keeps the connection", async () => {
	let answered = 0;
	let fifth;
	const fiveAnswered = new Promise((resolve) => {
		fifth = resolve;
	});
	const server = await startFakeServer((connection) => {
		connection.socket.on("data", () => {
			for (const text of connection.received.splice(0)) {
				if (text === "{\"type\":\"ws.ping\"}") {
					connection.send("{\"type\":\"ws.pong\"}");
					if (++answered === 5) {
						fifth();
					}
				}
			}
		});
	});
	const ws = client(server.url, { heartbeat: { interval: 100, timeout: 200 } });
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("state", (e) => e.state === "open");
		await fiveAnswered;
		assert.equal(ws.state, "open");
		assert.equal(server.connections.length, 1);
		assert.ok(!events.of("state").some((e) => e.state === "reconnecting"));
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("a handshake that never completes is abandoned after the open timeout", async () => {
	const server = await startFakeServer(() => {}, { handshake: false });
	const ws = client(server.url, { openTimeout: 300, reconnect: { baseDelay: 50, maxDelay: 100, maxAttempts: 2 } });
	const events = record(ws);
	try {
		ws.connect();
		const retry = await events.waitFor("state", (e) => e.state === "reconnecting");
		assert.match(retry.reason, /opening handshake took longer than 300 ms/);
		const closed = await events.waitFor("state", (e) => e.state === "closed");
		assert.match(closed.reason, /gave up after 2 attempts/);
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("an entry at or behind a stream's last position is dropped as a duplicate", async () => {
	const entry = (id) => JSON.stringify({ type: "message", stream: "room:x", id,
		position: "e1:" + id + "@room:x", data: { n: id } });
	const server = await startFakeServer((connection) => {
		connection.send(entry("1-0"));
		connection.send(entry("2-0"));
		connection.send(entry("2-0"));
		connection.send(entry("1-0"));
		connection.send(entry("3-0"));
	});
	const ws = client(server.url);
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("message", (m) => m.id === "3-0");
		assert.deepEqual(events.of("message").map((m) => m.id), ["1-0", "2-0", "3-0"]);
		assert.equal(ws.stats.duplicates, 2);
		assert.deepEqual(ws.positions, { "room:x": "e1:3-0@room:x" });
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("close codes decide: 1013 and 1001 retry with backoff, 1008 and 4008 stop with the reason", async () => {
	const plan = [[1013, "Slow consumer"], [1001, "Server shutting down"], [4008, "Too many connections"]];
	const server = await startFakeServer((connection) => {
		const [code, reason] = plan.shift();
		connection.close(code, reason);
	});
	const ws = client(server.url, { random: () => 0.5 });
	const events = record(ws);
	try {
		ws.connect();
		const closed = await events.waitFor("state", (e) => e.state === "closed");
		assert.equal(closed.code, 4008);
		assert.equal(closed.reason, "too many connections for this user (4008: Too many connections)");
		const retries = events.of("state").filter((e) => e.state === "reconnecting");
		assert.deepEqual(retries.map((e) => [e.code, e.delay]), [[1013, 25], [1001, 50]]);
		assert.match(retries[0].reason, /server overloaded, try again later \(1013: Slow consumer\)/);
		assert.equal(server.connections.length, 3);
	}
	finally {
		ws.close();
		await server.stop();
	}
	const policy = await startFakeServer((connection) => connection.close(1008, "Too many bad messages"));
	const other = client(policy.url);
	const otherEvents = record(other);
	try {
		other.connect();
		const closed = await otherEvents.waitFor("state", (e) => e.state === "closed");
		assert.equal(closed.reason, "policy violation (1008: Too many bad messages)");
		assert.equal(policy.connections.length, 1);
	}
	finally {
		other.close();
		await policy.stop();
	}
});

test("4001 asks the token callback once for a new token, and a second 4001 stops", async () => {
	const server = await startFakeServer((connection) => connection.close(4001, "Token expired"));
	const reasons = [];
	const ws = client(server.url, {
		token: ({ reason }) => {
			reasons.push(reason);
			return "header.eyJzdWIiOiJ4In0.signature";
		}
	});
	const events = record(ws);
	try {
		ws.connect();
		const closed = await events.waitFor("state", (e) => e.state === "closed");
		assert.equal(closed.reason, "the server refused the new token (4001: Token expired)");
		assert.deepEqual(reasons, ["connect", "expired"]);
		const retry = events.of("state").find((e) => e.state === "reconnecting");
		assert.equal(retry.delay, 0);
		assert.equal(server.connections.length, 2);
		assert.equal(server.connections[0].request.headers["sec-websocket-protocol"],
			"bearer, header.eyJzdWIiOiJ4In0.signature");
		assert.ok(!server.connections[0].request.url.includes("signature"), "the token is not in the URL");
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("a request whose connection drops is rejected as disconnected, and the client reconnects", async () => {
	const server = await startFakeServer();
	const ws = client(server.url);
	const events = record(ws);
	try {
		ws.connect();
		await events.waitFor("state", (e) => e.state === "open");
		const reply = ws.request("slow", null, { timeout: 5000 });
		await server.connections[0].next((text) => text.includes("slow"));
		server.connections[0].close(1011, "Server error");
		await assert.rejects(reply, (error) => error.code === "disconnected");
		await events.waitFor("state", (e) => e.state === "open" && e.reason === "reconnected");
	}
	finally {
		ws.close();
		await server.stop();
	}
});

test("a stream that cannot be recovered is reported and its position forgotten", async () => {
	const server = await startFakeServer((connection) => {
		if (server.connections.length === 1) {
			connection.send(JSON.stringify({ type: "message", stream: "room:y", id: "5-0", position: "e1:5-0@room:y",
				data: {} }));
			connection.close(1001, "Server shutting down");
		}
		else {
			connection.send(JSON.stringify({ type: "recovery", stream: "room:y", recovered: false }));
		}
	});
	const ws = client(server.url);
	const events = record(ws);
	try {
		ws.connect();
		const recovered = await events.waitFor("recovered");
		assert.deepEqual(recovered, { stream: "room:y", recovered: false, replayed: 0 });
		assert.match(server.connections[1].request.url, /position=e1%3A5-0%40room%3Ay/);
		assert.deepEqual(events.of("open")[1].recovering, ["room:y"]);
		assert.deepEqual(ws.positions, {});
		assert.equal(ws.stats.notRecovered, 1);
	}
	finally {
		ws.close();
		await server.stop();
	}
});
