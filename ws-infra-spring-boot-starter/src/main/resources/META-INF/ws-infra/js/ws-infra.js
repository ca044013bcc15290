// ws-infra.js: the client of ws-infra's WebSocket endpoints, for browsers and Node 22
// (global WebSocket). One ES module without dependencies; see docs/client-js.md.
// It reconnects with exponential backoff and full jitter, decides by close code whether
// to retry, refreshes the JWT before it expires (auth.refresh), recovers persistent
// streams from their last positions, answers liveness with a heartbeat, and offers
// request/reply with a timeout.

export const VERSION = "0.1.0";

/** Connection states, in the order a connection goes through them. */
export const States = Object.freeze({
	IDLE: "idle",
	CONNECTING: "connecting",
	OPEN: "open",
	RECONNECTING: "reconnecting",
	CLOSED: "closed"
});

/** An error of the client's own, with a code such as "not_connected" or "timeout". */
export class WsInfraError extends Error {
	constructor(code, message, detail) {
		super(message);
		this.name = "WsInfraError";
		this.code = code;
		if (detail !== undefined) {
			this.detail = detail;
		}
	}
}

/** The error reply of a request: code and message as the server sent them. */
export class RequestError extends WsInfraError {
	constructor(code, message, method) {
		super(code, message);
		this.name = "RequestError";
		this.method = method;
	}
}

const DEFAULTS = Object.freeze({
	token: null,
	tokenTransport: "subprotocol",
	tokenParameter: "token",
	protocols: [],
	params: {},
	openTimeout: 10000,
	reconnect: { baseDelay: 500, maxDelay: 30000, maxAttempts: 0, stableAfter: 5000 },
	heartbeat: { interval: 10000, timeout: 5000 },
	refresh: { before: 30000, ratio: 0.75, replyTimeout: 10000 },
	requestTimeout: 10000,
	sendBuffer: 0,
	recovery: true,
	WebSocket: null,
	random: Math.random
});

// What each close code decides: "retry" with backoff, or "stop". 4001 is handled apart.
const STOP_CODES = new Map([
	[1000, "closed by the server"],
	[1002, "protocol error"],
	[1003, "unsupported data"],
	[1007, "invalid data"],
	[1008, "policy violation"],
	[1009, "message too big"],
	[1010, "missing extension"],
	[4003, "forbidden"],
	[4008, "too many connections for this user"]
]);

const RETRY_CODES = new Map([
	[1001, "server going away"],
	[1005, "closed without status"],
	[1006, "connection lost"],
	[1011, "server error"],
	[1012, "server restarting"],
	[1013, "server overloaded, try again later"],
	[1014, "bad gateway"]
]);

const POSITION = /^([A-Za-z0-9]+):(\d+)-(\d+)@(.+)$/;

// Replies that come after their request timed out are expected: remember a few ids.
const LATE_REPLIES_KEPT = 256;

function merge(defaults, options) {
	const merged = { ...defaults, ...options };
	for (const key of ["reconnect", "heartbeat", "refresh"]) {
		if (options && options[key] === false) {
			merged[key] = false;
		}
		else {
			merged[key] = { ...defaults[key], ...(options ? options[key] : undefined) };
		}
	}
	return merged;
}

function parsePosition(token) {
	if (typeof token !== "string") {
		return null;
	}
	const match = POSITION.exec(token);
	if (match === null) {
		return null;
	}
	return { token, epoch: match[1], ms: Number(match[2]), seq: Number(match[3]), stream: match[4] };
}

// Whether b comes after a in the same stream: a later epoch is always taken as new.
function isAfter(a, b) {
	if (a.epoch !== b.epoch) {
		return true;
	}
	return b.ms > a.ms || (b.ms === a.ms && b.seq > a.seq);
}

function base64UrlDecode(text) {
	const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
	const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
	const binary = atob(padded);
	const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
	return new TextDecoder().decode(bytes);
}

function base64UrlEncode(text) {
	const bytes = new TextEncoder().encode(text);
	let binary = "";
	for (const byte of bytes) {
		binary += String.fromCharCode(byte);
	}
	return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Returns the expiry of a JWT in milliseconds since the epoch, or null when it has none or
 * is not a JWT. The signature is not checked: the server does that.
 */
export function tokenExpiry(token) {
	if (typeof token !== "string") {
		return null;
	}
	const parts = token.split(".");
	if (parts.length !== 3) {
		return null;
	}
	try {
		const claims = JSON.parse(base64UrlDecode(parts[1]));
		return (typeof claims.exp === "number") ? claims.exp * 1000 : null;
	}
	catch (error) {
		return null;
	}
}

// A subprotocol value must be an HTTP token; a JWT is one, anything else travels as
// base64url, which the server reads too.
function subprotocolValue(token) {
	return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(token) && token.includes(".") ? token : base64UrlEncode(token);
}

function randomId(random) {
	let id = "";
	for (let i = 0; i < 10; i++) {
		id += "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 36)];
	}
	return id;
}

/**
 * A connection to one ws-infra endpoint that stays connected: see docs/client-js.md for
 * the options, the events and the state machine.
 */
export class WsInfraClient {
	#url;
	#options;
	#listeners = new Map();
	#state = States.IDLE;
	#socket = null;
	#stopped = true;
	#attempts = 0;
	#timers = new Set();
	#reconnectTimer = null;
	#openTimer = null;
	#stableTimer = null;
	#heartbeatTimer = null;
	#refreshTimer = null;
	#refreshInFlight = null;
	#token = null;
	#tokenReason = "connect";
	#authRetry = false;
	#lastReceived = 0;
	#pingSentAt = 0;
	#outbox = [];
	#pending = new Map();
	#late = new Set();
	#positions = new Map();
	#presented = [];
	#generation = 0;
	#clientId;
	#sequence = 0;
	#stats = { connects: 0, duplicates: 0, refreshes: 0, recovered: 0, notRecovered: 0 };

	/**
	 * @param {string} url the endpoint, absolute or (in a browser) relative to the page
	 * @param {object} [options] see docs/client-js.md
	 */
	constructor(url, options = {}) {
		this.#url = url;
		this.#options = merge(DEFAULTS, options);
		this.#clientId = randomId(this.#options.random);
		if (!Array.isArray(this.#options.protocols)) {
			throw new TypeError("protocols must be an array");
		}
	}

	/** The current state: idle, connecting, open, reconnecting or closed. */
	get state() {
		return this.#state;
	}

	/** Whether messages can be sent now. */
	get isOpen() {
		return this.#state === States.OPEN;
	}

	/** The subprotocol the server chose, "" when not connected. */
	get protocol() {
		return (this.#socket !== null) ? this.#socket.protocol : "";
	}

	/** Counters: connects, duplicates dropped, token refreshes, recovered streams. */
	get stats() {
		return { ...this.#stats };
	}

	/** The last position of each persistent stream, as presented at the next reconnect. */
	get positions() {
		const positions = {};
		for (const [stream, position] of this.#positions) {
			positions[stream] = position.token;
		}
		return positions;
	}

	/**
	 * Listens to an event: state, open, message, recovered, token, error.
	 * @returns {() => void} a function that stops listening
	 */
	on(type, listener) {
		if (!this.#listeners.has(type)) {
			this.#listeners.set(type, new Set());
		}
		this.#listeners.get(type).add(listener);
		return () => this.off(type, listener);
	}

	off(type, listener) {
		const listeners = this.#listeners.get(type);
		if (listeners !== undefined) {
			listeners.delete(listener);
		}
	}

	/** Starts connecting; nothing happens when already started. */
	connect() {
		if (!this.#stopped) {
			return this;
		}
		this.#stopped = false;
		this.#generation++;
		this.#attempts = 0;
		this.#authRetry = false;
		this.#tokenReason = "connect";
		this.#attempt("connect() called");
		return this;
	}

	/** Closes the connection for good; pending requests and buffered messages fail. */
	close(code = 1000, reason = "closed by the application") {
		if (this.#stopped && this.#state === States.CLOSED) {
			return;
		}
		this.#stop(reason, { code, closeSocket: true });
	}

	/**
	 * Sends a message: an object as JSON, a string as it is. While not open it is buffered
	 * when the sendBuffer option leaves room, else it throws (fail fast by default).
	 */
	send(message) {
		const text = (typeof message === "string") ? message : JSON.stringify(message);
		this.#write(text);
	}

	/**
	 * Sends a request and returns a promise of its reply's data. The promise is rejected
	 * with a RequestError for an error reply, a WsInfraError "timeout" when no reply comes
	 * within the timeout, "disconnected" when the connection drops first.
	 */
	request(method, data, { timeout = this.#options.requestTimeout } = {}) {
		return new Promise((resolve, reject) => {
			const id = this.#clientId + "." + (++this.#sequence);
			const frame = { type: "ws.request", id, method };
			if (data !== undefined) {
				frame.data = data;
			}
			let socket;
			try {
				socket = this.#write(JSON.stringify(frame), id);
			}
			catch (error) {
				reject(error);
				return;
			}
			const timer = this.#setTimer(() => {
				this.#pending.delete(id);
				this.#rememberLate(id);
				reject(new WsInfraError("timeout", "No reply to " + method + " within " + timeout + " ms"));
			}, timeout);
			this.#pending.set(id, { resolve, reject, timer, method, socket });
		});
	}

	/** Returns the members of a room the user is in (the server's ws.presence). */
	async presence(room, options) {
		const reply = await this.request("ws.presence", { room }, options);
		return reply.users;
	}

	/**
	 * Notes that the application holds everything of a stream up to a position, for
	 * example from a history it loaded: the next reconnect recovers from there and live
	 * entries up to it are dropped as duplicates. A position behind the known one is
	 * ignored.
	 */
	advance(position) {
		const parsed = parsePosition(position);
		if (parsed === null) {
			throw new TypeError("not a position: " + position);
		}
		const known = this.#positions.get(parsed.stream);
		if (known === undefined || isAfter(known, parsed)) {
			this.#positions.set(parsed.stream, parsed);
		}
	}

	// ---- connecting

	async #attempt(reason) {
		const generation = this.#generation;
		this.#setState(States.CONNECTING, reason);
		let token = null;
		if (typeof this.#options.token === "function") {
			try {
				token = await this.#options.token({ reason: this.#tokenReason });
			}
			catch (error) {
				if (generation !== this.#generation) {
					return;
				}
				this.#emitError("token_failed", "The token callback failed: " + describe(error), error);
				this.#retry("the token callback failed");
				return;
			}
			if (generation !== this.#generation) {
				return;
			}
			if (token === null || token === undefined || token === "") {
				this.#stop("no token: the token callback returned none");
				return;
			}
			const expiry = tokenExpiry(token);
			if (expiry !== null && expiry <= Date.now()) {
				this.#stop("the token callback returned an expired token");
				return;
			}
		}
		else if (typeof this.#options.token === "string") {
			token = this.#options.token;
		}
		this.#token = token;
		let socket;
		try {
			socket = this.#open(token);
		}
		catch (error) {
			this.#stop("cannot connect: " + describe(error));
			return;
		}
		this.#socket = socket;
		this.#openTimer = this.#setTimer(() => {
			this.#abandon(socket, "the opening handshake took longer than " + this.#options.openTimeout + " ms");
		}, this.#options.openTimeout);
	}

	#open(token) {
		const Impl = this.#options.WebSocket || globalThis.WebSocket;
		if (typeof Impl !== "function") {
			throw new WsInfraError("no_websocket", "No WebSocket implementation: use Node 22 or a browser, or pass one");
		}
		const url = this.#buildUrl(token);
		const protocols = [...this.#options.protocols];
		if (token !== null && this.#options.tokenTransport === "subprotocol") {
			protocols.push("bearer", subprotocolValue(token));
		}
		const socket = new Impl(url, protocols);
		this.#presented = (this.#options.recovery) ? [...this.#positions.keys()] : [];
		let opened = false;
		socket.onopen = () => {
			opened = true;
			this.#onOpen(socket);
		};
		socket.onmessage = (event) => this.#onMessage(socket, event);
		socket.onclose = (event) => this.#onClose(socket, event.code, event.reason, opened);
		socket.onerror = () => {
			// A close event follows, which decides; some implementations (Node 22's, on a
			// refused connection) never send it, so an error stands for 1006 soon after.
			this.#setTimer(() => {
				if (socket === this.#socket) {
					this.#onClose(socket, 1006, "", opened);
					try {
						socket.close();
					}
					catch (error) {
						// still connecting: it is dropped all the same
					}
				}
			}, opened ? 1000 : 0);
		};
		return socket;
	}

	#buildUrl(token) {
		const base = (typeof location !== "undefined" && location.href) ? new URL(this.#url, location.href)
			: new URL(this.#url);
		if (base.protocol === "http:") {
			base.protocol = "ws:";
		}
		else if (base.protocol === "https:") {
			base.protocol = "wss:";
		}
		const params = (typeof this.#options.params === "function") ? this.#options.params() : this.#options.params;
		for (const [name, value] of Object.entries(params || {})) {
			if (value !== undefined && value !== null) {
				base.searchParams.append(name, String(value));
			}
		}
		if (this.#options.recovery) {
			for (const position of this.#positions.values()) {
				base.searchParams.append("position", position.token);
			}
		}
		if (token !== null && this.#options.tokenTransport === "query") {
			base.searchParams.set(this.#options.tokenParameter, token);
		}
		return base.toString();
	}

	#onOpen(socket) {
		if (socket !== this.#socket) {
			return;
		}
		this.#clearTimer(this.#openTimer);
		this.#stats.connects++;
		this.#lastReceived = Date.now();
		this.#pingSentAt = 0;
		this.#stableTimer = this.#setTimer(() => {
			this.#attempts = 0;
			this.#authRetry = false;
		}, this.#options.reconnect ? this.#options.reconnect.stableAfter : 0);
		this.#setState(States.OPEN, (this.#stats.connects === 1) ? "connected" : "reconnected");
		this.#startHeartbeat();
		this.#scheduleRefresh(this.#token);
		const outbox = this.#outbox;
		this.#outbox = [];
		for (const { text, id } of outbox) {
			socket.send(text);
			const pending = (id !== undefined) ? this.#pending.get(id) : undefined;
			if (pending !== undefined) {
				pending.socket = socket;
			}
		}
		this.#emit("open", { protocol: socket.protocol, recovering: [...this.#presented] });
	}

	#onClose(socket, code, reason, opened) {
		if (socket !== this.#socket) {
			return;
		}
		this.#disconnected(socket);
		this.#decide(code, reason || "", opened);
	}

	// Gives up on a socket that is dead or hangs, without waiting for its close event.
	#abandon(socket, why) {
		if (socket !== this.#socket) {
			return;
		}
		const opened = this.#state === States.OPEN;
		this.#disconnected(socket);
		try {
			socket.close(4000, "client gave up");
		}
		catch (error) {
			// a socket still connecting may refuse; it is dropped all the same
		}
		this.#retry(why, opened);
	}

	#disconnected(socket) {
		socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
		this.#socket = null;
		this.#clearTimer(this.#openTimer);
		this.#clearTimer(this.#stableTimer);
		this.#stopHeartbeat();
		this.#clearTimer(this.#refreshTimer);
		this.#refreshInFlight = null;
		this.#failPending(new WsInfraError("disconnected", "The connection closed before the reply came"), socket);
	}

	#decide(code, reason, opened) {
		if (this.#stopped) {
			return;
		}
		const said = reason ? ": " + reason : "";
		if (code === 4001) {
			if (this.#authRetry) {
				this.#stop("the server refused the new token (4001" + said + ")", { code });
				return;
			}
			this.#authRetry = true;
			this.#tokenReason = "expired";
			this.#attempts = 0;
			this.#schedule(0, "token expired (4001" + said + "): connecting with a new token", code);
			return;
		}
		if (this.#authRetry && !opened) {
			this.#stop("the connection with a new token failed (" + code + said + ")", { code });
			return;
		}
		if (STOP_CODES.has(code) || (code >= 3000 && code <= 4999)) {
			const what = STOP_CODES.get(code) || "closed by the application";
			this.#stop(what + " (" + code + said + ")", { code });
			return;
		}
		const what = RETRY_CODES.get(code) || "closed";
		this.#retry(what + " (" + code + said + ")", opened, code);
	}

	#retry(why, opened, code) {
		if (this.#stopped) {
			return;
		}
		const reconnect = this.#options.reconnect;
		if (!reconnect) {
			this.#stop(why + "; reconnecting is off", { code });
			return;
		}
		if (reconnect.maxAttempts > 0 && this.#attempts >= reconnect.maxAttempts) {
			this.#stop(why + "; gave up after " + this.#attempts + " attempts in a row", { code });
			return;
		}
		const ceiling = Math.min(reconnect.maxDelay, reconnect.baseDelay * Math.pow(2, this.#attempts));
		const delay = Math.floor(this.#options.random() * ceiling);
		this.#attempts++;
		this.#tokenReason = "reconnect";
		this.#schedule(delay, why, code);
	}

	#schedule(delay, why, code) {
		this.#setState(States.RECONNECTING, why, { code, delay, attempt: this.#attempts });
		this.#reconnectTimer = this.#setTimer(() => {
			this.#reconnectTimer = null;
			this.#attempt("reconnecting after " + why);
		}, delay);
	}

	#stop(why, { code, closeSocket = false } = {}) {
		this.#stopped = true;
		this.#generation++;
		this.#clearTimer(this.#reconnectTimer);
		const socket = this.#socket;
		if (socket !== null) {
			this.#disconnected(socket);
			if (closeSocket) {
				try {
					socket.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, "");
				}
				catch (error) {
					// already closing
				}
			}
		}
		for (const timer of this.#timers) {
			clearTimeout(timer);
		}
		this.#timers.clear();
		this.#failPending(new WsInfraError("closed", "The client is closed: " + why));
		this.#outbox = [];
		this.#setState(States.CLOSED, why, { code });
	}

	// ---- receiving

	#onMessage(socket, event) {
		if (socket !== this.#socket) {
			return;
		}
		this.#lastReceived = Date.now();
		if (typeof event.data !== "string") {
			this.#emit("message", event.data);
			return;
		}
		let message;
		try {
			message = JSON.parse(event.data);
		}
		catch (error) {
			this.#emitError("malformed_message", "A message from the server is not JSON", event.data);
			return;
		}
		if (message === null || typeof message !== "object" || Array.isArray(message)) {
			this.#emit("message", message);
			return;
		}
		switch (message.type) {
			case "ws.pong":
				return;
			case "ws.reply":
				this.#onReply(message);
				return;
			case "auth.refreshed":
				this.#onRefreshed(message);
				return;
			case "recovery":
				this.#onRecovery(message);
				return;
			case "error":
				if (this.#refreshInFlight !== null
						&& (message.error === "invalid_token" || message.error === "temporarily_unavailable")) {
					this.#onRefreshRefused(message);
					return;
				}
				if (message.error === "invalid_request") {
					this.#emitError("invalid_request", "The server refused a request: " + message.message, message);
					return;
				}
				break;
			case "message":
			case "replay":
				if (!this.#take(message)) {
					return;
				}
				break;
			default:
				break;
		}
		this.#emit("message", message);
	}

	// Whether a stream entry is new: one at or behind the stream's last position is a
	// duplicate and dropped.
	#take(message) {
		const position = parsePosition(message.position);
		if (position === null || position.stream !== message.stream) {
			return true;
		}
		const known = this.#positions.get(position.stream);
		if (known !== undefined && !isAfter(known, position)) {
			this.#stats.duplicates++;
			return false;
		}
		this.#positions.set(position.stream, position);
		return true;
	}

	#onRecovery(message) {
		if (typeof message.stream !== "string") {
			this.#emitError("recovery_failed", "The server could not read a position it was given", message);
			return;
		}
		if (message.recovered === true) {
			this.#stats.recovered++;
			const position = parsePosition(message.position);
			if (position !== null) {
				this.advance(position.token);
			}
		}
		else {
			this.#stats.notRecovered++;
			this.#positions.delete(message.stream);
		}
		this.#emit("recovered", {
			stream: message.stream,
			recovered: message.recovered === true,
			replayed: (typeof message.replayed === "number") ? message.replayed : 0
		});
	}

	#onReply(message) {
		const id = message.id;
		if (typeof id !== "string") {
			this.#emitError("malformed_message", "A reply without an id", message);
			return;
		}
		if (!id.startsWith(this.#clientId + ".")) {
			// a reply to another client of the same user, sent to all of its connections
			return;
		}
		const pending = this.#pending.get(id);
		if (pending === undefined) {
			if (!this.#late.has(id)) {
				this.#emitError("unknown_reply", "A reply to no request of this client: " + id, message);
			}
			return;
		}
		this.#pending.delete(id);
		this.#clearTimer(pending.timer);
		if (message.error && typeof message.error === "object") {
			pending.reject(new RequestError(String(message.error.code), String(message.error.message), pending.method));
		}
		else {
			pending.resolve((message.data === undefined) ? null : message.data);
		}
	}

	#rememberLate(id) {
		this.#late.add(id);
		if (this.#late.size > LATE_REPLIES_KEPT) {
			this.#late.delete(this.#late.values().next().value);
		}
	}

	// Fails the requests sent on a socket, or all of them; those still buffered wait.
	#failPending(error, socket) {
		for (const [id, pending] of [...this.#pending]) {
			if (socket === undefined || pending.socket === socket) {
				this.#pending.delete(id);
				this.#clearTimer(pending.timer);
				this.#rememberLate(id);
				pending.reject(error);
			}
		}
	}

	// ---- sending

	// Returns the socket written to, or null when buffered.
	#write(text, id) {
		if (this.#state === States.OPEN && this.#socket !== null) {
			this.#socket.send(text);
			return this.#socket;
		}
		if (this.#stopped) {
			throw new WsInfraError("closed", "The client is closed");
		}
		if (this.#outbox.length >= this.#options.sendBuffer) {
			throw new WsInfraError((this.#options.sendBuffer > 0) ? "send_buffer_full" : "not_connected",
				(this.#options.sendBuffer > 0) ? "The send buffer holds " + this.#options.sendBuffer + " messages already"
					: "Not connected (state " + this.#state + ") and the send buffer is off");
		}
		this.#outbox.push({ text, id });
		return null;
	}

	// ---- liveness

	#startHeartbeat() {
		const heartbeat = this.#options.heartbeat;
		if (!heartbeat) {
			return;
		}
		const tick = Math.max(100, Math.min(heartbeat.interval, heartbeat.timeout) / 4);
		const socket = this.#socket;
		this.#heartbeatTimer = setInterval(() => {
			const now = Date.now();
			if (this.#pingSentAt !== 0 && this.#lastReceived >= this.#pingSentAt) {
				this.#pingSentAt = 0;
			}
			if (this.#pingSentAt !== 0) {
				if (now - this.#pingSentAt >= heartbeat.timeout) {
					this.#abandon(socket, "no answer to the heartbeat within " + heartbeat.timeout + " ms");
				}
			}
			else if (now - this.#lastReceived >= heartbeat.interval) {
				this.#pingSentAt = now;
				socket.send("{\"type\":\"ws.ping\"}");
			}
		}, tick);
	}

	#stopHeartbeat() {
		if (this.#heartbeatTimer !== null) {
			clearInterval(this.#heartbeatTimer);
			this.#heartbeatTimer = null;
		}
	}

	// ---- token refresh

	#scheduleRefresh(token) {
		this.#clearTimer(this.#refreshTimer);
		const refresh = this.#options.refresh;
		const expiry = tokenExpiry(token);
		if (!refresh || expiry === null || typeof this.#options.token !== "function") {
			return;
		}
		const remaining = expiry - Date.now();
		const margin = Math.min(refresh.before, remaining * (1 - refresh.ratio));
		const delay = Math.max(1000, remaining - margin);
		this.#refreshTimer = this.#setTimer(() => this.#refresh(), delay);
	}

	async #refresh() {
		const socket = this.#socket;
		if (socket === null || this.#state !== States.OPEN) {
			return;
		}
		let token;
		try {
			token = await this.#options.token({ reason: "refresh" });
		}
		catch (error) {
			this.#emitError("token_failed", "The token callback failed on refresh: " + describe(error), error);
			this.#retryRefresh();
			return;
		}
		if (socket !== this.#socket) {
			return;
		}
		if (token === null || token === undefined || token === "") {
			this.#emitError("refresh_declined", "The token callback returned no token to refresh with");
			return;
		}
		const timer = this.#setTimer(() => {
			if (this.#refreshInFlight !== null && this.#refreshInFlight.token === token) {
				this.#refreshInFlight = null;
				this.#emitError("refresh_failed", "No answer to auth.refresh within "
					+ this.#options.refresh.replyTimeout + " ms");
				this.#retryRefresh();
			}
		}, this.#options.refresh.replyTimeout);
		this.#refreshInFlight = { token, timer };
		socket.send(JSON.stringify({ type: "auth.refresh", token }));
	}

	#onRefreshed(message) {
		const inFlight = this.#refreshInFlight;
		if (inFlight === null) {
			return;
		}
		this.#refreshInFlight = null;
		this.#clearTimer(inFlight.timer);
		this.#token = inFlight.token;
		this.#authRetry = false;
		this.#stats.refreshes++;
		this.#emit("token", { expiresAt: message.expiresAt || null });
		this.#scheduleRefresh(inFlight.token);
	}

	#onRefreshRefused(message) {
		const inFlight = this.#refreshInFlight;
		this.#refreshInFlight = null;
		this.#clearTimer(inFlight.timer);
		this.#emitError("refresh_failed", "The server refused the refreshed token: " + message.message, message);
		this.#retryRefresh();
	}

	// Tries again while the current token lives, at most every 5 s.
	#retryRefresh() {
		const expiry = tokenExpiry(this.#token);
		const remaining = (expiry === null) ? 0 : expiry - Date.now();
		if (remaining > 2000) {
			this.#clearTimer(this.#refreshTimer);
			this.#refreshTimer = this.#setTimer(() => this.#refresh(), Math.min(5000, remaining / 2));
		}
	}

	// ---- events and timers

	#setState(state, reason, detail = {}) {
		const previous = this.#state;
		this.#state = state;
		const event = { state, previous, reason };
		for (const [key, value] of Object.entries(detail)) {
			if (value !== undefined) {
				event[key] = value;
			}
		}
		this.#emit("state", event);
	}

	#emitError(code, message, detail) {
		this.#emit("error", new WsInfraError(code, message, detail));
	}

	#emit(type, value) {
		const listeners = this.#listeners.get(type);
		if (listeners === undefined) {
			return;
		}
		for (const listener of [...listeners]) {
			try {
				listener(value);
			}
			catch (error) {
				if (type !== "error") {
					this.#emitError("listener_failed", "A " + type + " listener threw: " + describe(error), error);
				}
			}
		}
	}

	#setTimer(callback, delay) {
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			callback();
		}, delay);
		this.#timers.add(timer);
		return timer;
	}

	#clearTimer(timer) {
		if (timer !== null && timer !== undefined) {
			clearTimeout(timer);
			this.#timers.delete(timer);
		}
	}
}

function describe(error) {
	return (error && error.message) ? error.message : String(error);
}

export default WsInfraClient;
