// What the client's tests share: the client from the starter's sources, the running sample's
// address (WS_INFRA_BASE, set by the JUnit test that runs these), tokens from its /dev/token,
// and a recorder of a client's events that waits for one without fixed sleeps.
export { WsInfraClient, WsInfraError, RequestError, tokenExpiry } from
	"../../../../ws-infra-spring-boot-starter/src/main/resources/META-INF/ws-infra/js/ws-infra.js";

export const BASE = process.env.WS_INFRA_BASE || "http://127.0.0.1:8080";

export const WS_BASE = BASE.replace(/^http/, "ws");

export async function token(user) {
	const response = await fetch(BASE + "/dev/token", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ user })
	});
	if (!response.ok) {
		throw new Error("token endpoint answered " + response.status);
	}
	return (await response.json()).token;
}

export async function post(path, body) {
	const response = await fetch(BASE + path, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify(body)
	});
	return response.status;
}

export function unique(prefix) {
	return prefix + "-" + Math.random().toString(36).slice(2, 8);
}

/** Records every event of a client; waitFor resolves with the first matching one, past or future. */
export function record(client) {
	const events = [];
	const waiters = [];
	for (const type of ["state", "open", "message", "recovered", "token", "error"]) {
		client.on(type, (value) => {
			events.push({ type, value });
			for (const waiter of [...waiters]) {
				waiter();
			}
		});
	}
	return {
		events,
		of(type) {
			return events.filter((event) => event.type === type).map((event) => event.value);
		},
		waitFor(type, predicate = () => true, timeout = 15000) {
			return new Promise((resolve, reject) => {
				let index = 0;
				const check = () => {
					for (; index < events.length; index++) {
						const event = events[index];
						if (event.type === type && predicate(event.value)) {
							cleanup();
							resolve(event.value);
							return true;
						}
					}
					return false;
				};
				const timer = setTimeout(() => {
					cleanup();
					reject(new Error("no " + type + " event within " + timeout + " ms; events: "
						+ JSON.stringify(events.map((e) => [e.type, e.value && (e.value.state || e.value.reason
							|| e.value.code || e.value.type)]))));
				}, timeout);
				const cleanup = () => {
					clearTimeout(timer);
					const at = waiters.indexOf(check);
					if (at >= 0) {
						waiters.splice(at, 1);
					}
				};
				if (!check()) {
					waiters.push(check);
				}
			});
		}
	};
}
