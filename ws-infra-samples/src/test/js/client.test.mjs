// ws-infra.js against the real sample application with the Redis module (started by
// JsClientNodeIntegrationTests, whose tokens live a few seconds and whose JWT clock skew is 0).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { WsInfraClient, RequestError, WS_BASE, token, post, unique, record } from "./support.mjs";

const clients = [];

function room(name, user, options = {}) {
	const ws = new WsInfraClient(WS_BASE + "/ws/rooms/" + name, { token: () => token(user), ...options });
	clients.push(ws);
	return ws;
}

async function opened(ws) {
	const events = record(ws);
	ws.connect();
	await events.waitFor("state", (e) => e.state === "open");
	return events;
}

test.afterEach(() => {
	clients.splice(0).forEach((ws) => ws.close());
});

test("connects with a token from an async callback, carried in the bearer subprotocol", async () => {
	const ws = room(unique("r"), unique("ann"));
	const events = await opened(ws);
	assert.equal(ws.protocol, "bearer");
	assert.deepEqual(events.of("state").map((e) => e.state), ["connecting", "open"]);
	assert.equal(events.of("state")[1].reason, "connected");
});

test("requests get their replies: history, presence, and errors as RequestError", async () => {
	const name = unique("r");
	const user = unique("bea");
	const ws = room(name, user);
	await opened(ws);
	assert.deepEqual(await ws.request("history"), { messages: [], persistent: true });
	assert.deepEqual(await ws.presence("rooms:" + name), [user]);
	await assert.rejects(ws.request("nope"), (error) => error instanceof RequestError
		&& error.code === "unknown_method" && error.method === "nope");
	await assert.rejects(ws.presence("rooms:" + unique("elsewhere")), (error) => error.code === "forbidden");
	assert.equal(ws.state, "open");
});

test("a reconnecting client recovers what it missed, in order and once, then gets live messages", async () => {
	const name = unique("r");
	const stream = "room:rooms:" + name;
	const alice = room(name, unique("alice"));
	const bob = room(name, unique("bob"));
	const aliceEvents = await opened(alice);
	await opened(bob);
	bob.send({ message: "m1" });
	await aliceEvents.waitFor("message", (m) => m.data && m.data.message === "m1");
	const before = alice.positions[stream];
	assert.match(before, /^[A-Za-z0-9]+:\d+-\d+@room:rooms:/);

	alice.close();
	bob.send({ message: "m2" });
	bob.send({ message: "m3" });
	const bobEvents = record(bob);
	await bobEvents.waitFor("message", (m) => m.data && m.data.message === "m3");
	alice.connect();
	const open = await aliceEvents.waitFor("open", (e) => e.recovering.length > 0);
	assert.deepEqual(open.recovering, [stream]);
	const recovery = await aliceEvents.waitFor("recovered");
	assert.deepEqual(recovery, { stream, recovered: true, replayed: 2 });
	bob.send({ message: "m4" });
	await aliceEvents.waitFor("message", (m) => m.data && m.data.message === "m4");
	const texts = aliceEvents.of("message").filter((m) => m.type === "message").map((m) => m.data.message);
	assert.deepEqual(texts, ["m1", "m2", "m3", "m4"]);
	assert.equal(alice.stats.duplicates, 0);
});

test("the token is refreshed before it expires and the connection outlives it", async () => {
	const ws = room(unique("r"), unique("cid"));
	const events = await opened(ws);
	const start = Date.now();
	await events.waitFor("token", () => ws.stats.refreshes >= 2, 20000);
	// two refreshes of a 6-second token: the first token expired meanwhile
	assert.ok(Date.now() - start > 6000, "refreshed twice in " + (Date.now() - start) + " ms");
	assert.deepEqual(await ws.request("history").then((reply) => reply.persistent), true);
	assert.equal(ws.stats.connects, 1);
	assert.ok(!events.of("state").some((e) => e.state === "reconnecting"));
});

test("4001 without refresh: the callback gives a new token and the client reconnects", async () => {
	const user = unique("dee");
	const reasons = [];
	const ws = new WsInfraClient(WS_BASE + "/ws/rooms/" + unique("r"), {
		refresh: false,
		token: ({ reason }) => {
			reasons.push(reason);
			return token(user);
		}
	});
	clients.push(ws);
	const events = await opened(ws);
	const expired = await events.waitFor("state", (e) => e.state === "reconnecting", 20000);
	assert.equal(expired.code, 4001);
	assert.equal(expired.delay, 0);
	await events.waitFor("state", (e) => e.state === "open" && e.reason === "reconnected");
	assert.deepEqual(reasons, ["connect", "expired"]);
});

test("the eleventh connection of a user is closed with 4008, says why, and is not retried", async () => {
	const name = unique("r");
	const user = unique("eve");
	for (let i = 0; i < 10; i++) {
		const ws = room(name, user);
		await opened(ws);
		// answered once the connection is registered, so the eleventh is the one refused
		await ws.request("history");
	}
	const eleventh = room(name, user);
	const events = record(eleventh);
	eleventh.connect();
	const closed = await events.waitFor("state", (e) => e.state === "closed");
	assert.equal(closed.code, 4008);
	assert.equal(closed.reason, "too many connections for this user (4008: Too many connections)");
	assert.equal(eleventh.stats.connects, 1);
	assert.deepEqual(events.of("state").map((e) => e.state), ["connecting", "open", "closed"]);
});

test("a revoked user's connection is closed with 4003 and not retried", async () => {
	const user = unique("fay");
	const ws = room(unique("r"), user);
	const events = await opened(ws);
	// the server announces the connection once it registered it: a revocation closes the
	// connections registered when it runs
	await events.waitFor("message", (m) => m.type === "presence" && m.user === user);
	assert.equal(await post("/dev/revoke", { user }), 202);
	const closed = await events.waitFor("state", (e) => e.state === "closed");
	assert.equal(closed.code, 4003);
	assert.equal(closed.reason, "forbidden (4003: Token revoked)");
	assert.equal(ws.stats.connects, 1);
});

test("sends fail fast while not connected, unless a send buffer keeps them until open", async () => {
	const name = unique("r");
	const idle = room(name, unique("gus"));
	assert.throws(() => idle.send({ message: "lost" }), (error) => error.code === "closed");
	const listener = room(name, unique("hal"));
	const listenerEvents = await opened(listener);
	const buffered = room(name, unique("ida"), { sendBuffer: 1 });
	const bufferedEvents = record(buffered);
	buffered.connect();
	buffered.send({ message: "kept" });
	assert.throws(() => buffered.send({ message: "one too many" }), (error) => error.code === "send_buffer_full");
	await listenerEvents.waitFor("message", (m) => m.data && m.data.message === "kept");
	await bufferedEvents.waitFor("state", (e) => e.state === "open");
	const reconnecting = room(name, unique("jon"));
	const reconnectingEvents = record(reconnecting);
	reconnecting.connect();
	assert.equal(reconnecting.state, "connecting");
	assert.throws(() => reconnecting.send({ message: "too early" }), (error) => error.code === "not_connected");
	await reconnectingEvents.waitFor("state", (e) => e.state === "open");
});

test("an unreachable server is retried with full-jitter backoff until max attempts", async () => {
	const port = await new Promise((resolve) => {
		const probe = createServer();
		probe.listen(0, "127.0.0.1", () => {
			const free = probe.address().port;
			probe.close(() => resolve(free));
		});
	});
	const ws = new WsInfraClient("ws://127.0.0.1:" + port + "/ws/rooms/x", {
		random: () => 0.5,
		reconnect: { baseDelay: 100, maxDelay: 250, maxAttempts: 3 }
	});
	clients.push(ws);
	const events = record(ws);
	ws.connect();
	const closed = await events.waitFor("state", (e) => e.state === "closed");
	const delays = events.of("state").filter((e) => e.state === "reconnecting").map((e) => e.delay);
	assert.deepEqual(delays, [50, 100, 125]);
	assert.match(closed.reason, /connection lost \(1006\); gave up after 3 attempts in a row/);
});

test("a token callback that returns nothing stops the client; one that throws is retried", async () => {
	const none = new WsInfraClient(WS_BASE + "/ws/rooms/x", { token: async () => null });
	clients.push(none);
	const noneEvents = record(none);
	none.connect();
	const closed = await noneEvents.waitFor("state", (e) => e.state === "closed");
	assert.equal(closed.reason, "no token: the token callback returned none");
	let calls = 0;
	const user = unique("kim");
	const flaky = new WsInfraClient(WS_BASE + "/ws/rooms/" + unique("r"), {
		reconnect: { baseDelay: 20, maxDelay: 50 },
		token: () => {
			if (++calls === 1) {
				throw new Error("identity provider down");
			}
			return token(user);
		}
	});
	clients.push(flaky);
	const flakyEvents = record(flaky);
	flaky.connect();
	await flakyEvents.waitFor("state", (e) => e.state === "open");
	const error = flakyEvents.of("error")[0];
	assert.equal(error.code, "token_failed");
	assert.match(error.message, /identity provider down/);
});
