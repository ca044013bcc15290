// TypeScript declarations of ws-infra.js; see docs/client-js.md.

export declare const VERSION: string;

export declare const States: Readonly<{
	IDLE: "idle";
	CONNECTING: "connecting";
	OPEN: "open";
	RECONNECTING: "reconnecting";
	CLOSED: "closed";
}>;

export type State = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Why the token callback is asked: the first connect, a reconnect, after 4001, or a refresh. */
export type TokenReason = "connect" | "reconnect" | "expired" | "refresh";

export type TokenCallback = (context: { reason: TokenReason }) =>
	string | null | undefined | Promise<string | null | undefined>;

export interface WsInfraClientOptions {
	/** The JWT, or a callback that returns one (sync or async); null or undefined stops the client. */
	token?: TokenCallback | string | null;
	/** Where the token travels: the "bearer" subprotocol pair (default), the query, or nowhere. */
	tokenTransport?: "subprotocol" | "query" | "none";
	/** Query parameter of the token with tokenTransport "query"; default "token". */
	tokenParameter?: string;
	/** Subprotocols offered before the bearer pair. */
	protocols?: string[];
	/** Extra query parameters, or a function returning them at each connect. */
	params?: Record<string, string | number | boolean> | (() => Record<string, string | number | boolean>);
	/** Milliseconds the opening handshake may take; default 10000. */
	openTimeout?: number;
	/** Backoff between attempts (ms) and attempts in a row before stopping (0: never); false: no reconnect. */
	reconnect?: false | { baseDelay?: number; maxDelay?: number; maxAttempts?: number; stableAfter?: number };
	/** A ws.ping after `interval` ms without any message; dead when nothing came `timeout` ms later. */
	heartbeat?: false | { interval?: number; timeout?: number };
	/** Refresh the token `before` ms ahead of its exp, at most `ratio` into its remaining life. */
	refresh?: false | { before?: number; ratio?: number; replyTimeout?: number };
	/** Default timeout of request(), in ms; default 10000. */
	requestTimeout?: number;
	/** Messages kept while not connected; 0 (default) makes send() throw at once. */
	sendBuffer?: number;
	/** Whether stream positions are presented at reconnect; default true. */
	recovery?: boolean;
	/** A WebSocket implementation, when the global one is missing. */
	WebSocket?: unknown;
	/** Random numbers in [0, 1), for the backoff's jitter and the client id. */
	random?: () => number;
}

export interface StateEvent {
	state: State;
	previous: State;
	/** Why, in words, with the close code and the server's reason when there was one. */
	reason: string;
	/** The close code that made the decision, if any. */
	code?: number;
	/** With "reconnecting": how long it waits, in ms, and the attempt number. */
	delay?: number;
	attempt?: number;
}

export interface OpenEvent {
	protocol: string;
	/** Streams whose positions were presented: a "recovered" event follows for each. */
	recovering: string[];
}

export interface RecoveredEvent {
	stream: string;
	recovered: boolean;
	replayed: number;
}

export interface TokenEvent {
	expiresAt: string | null;
}

/** A persistent stream's entry as the server sends it. */
export interface StreamMessage<T = unknown> {
	type: "message" | "replay";
	stream: string;
	position: string;
	id: string;
	data: T;
}

export declare class WsInfraError extends Error {
	readonly code: string;
	readonly detail?: unknown;
	constructor(code: string, message: string, detail?: unknown);
}

export declare class RequestError extends WsInfraError {
	readonly method: string;
	constructor(code: string, message: string, method: string);
}

export interface WsInfraEvents {
	state: StateEvent;
	open: OpenEvent;
	message: any;
	recovered: RecoveredEvent;
	token: TokenEvent;
	error: WsInfraError;
}

export declare function tokenExpiry(token: string): number | null;

export declare class WsInfraClient {
	constructor(url: string, options?: WsInfraClientOptions);
	readonly state: State;
	readonly isOpen: boolean;
	readonly protocol: string;
	readonly stats: { connects: number; duplicates: number; refreshes: number; recovered: number; notRecovered: number };
	readonly positions: Record<string, string>;
	on<K extends keyof WsInfraEvents>(type: K, listener: (event: WsInfraEvents[K]) => void): () => void;
	off<K extends keyof WsInfraEvents>(type: K, listener: (event: WsInfraEvents[K]) => void): void;
	connect(): this;
	close(code?: number, reason?: string): void;
	send(message: unknown): void;
	request<T = unknown>(method: string, data?: unknown, options?: { timeout?: number }): Promise<T>;
	presence(room: string, options?: { timeout?: number }): Promise<string[]>;
	advance(position: string): void;
}

export default WsInfraClient;
