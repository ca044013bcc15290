// The chat page of the ws-infra sample, on ws-infra.js (served by the starter): no build step.
// 1. POST /dev/token {"user": name} -> {"token": jwt}   (a sample-only endpoint), asked again by
//    the client whenever it needs a token: to connect, after 4001, and to refresh before expiry
// 2. the client connects to ws/rooms/<room> with the token in the "bearer" subprotocol pair,
//    reconnects with backoff and, with the Redis module, recovers the room's stream from its last
//    position, so that no message is lost or shown twice across a reconnect
// 3. send {"message": text}; receive the room's stream entries {"type": "message", "stream",
//    "position", "id", "data": {"from", "message"}}, presence cues {"type": "presence"}; request
//    "history" on join (and after a failed recovery) and ws.presence for the member list
import { WsInfraClient } from "./ws-infra/ws-infra.js";

const joinForm = document.getElementById("join-form");
const sendForm = document.getElementById("send-form");
const nameInput = document.getElementById("name");
const roomInput = document.getElementById("room");
const joinButton = document.getElementById("join");
const leaveButton = document.getElementById("leave");
const messageInput = document.getElementById("message");
const sendButton = document.getElementById("send");
const status = document.getElementById("status");
const messages = document.getElementById("messages");
const members = document.getElementById("members");

let client = null;
let me = null;
let room = null;
// Stream ids on the page: an entry is shown once, whether it came live, replayed or as history.
const shown = new Set();
// Live entries that arrive while the history loads wait for it, so that the page stays in order.
let loadingHistory = false;
let held = [];
let readingMembers = false;
let readMembersAgain = false;

function show(type, text, from) {
	const item = document.createElement("li");
	item.dataset.type = type;
	if (from !== undefined) {
		const who = document.createElement("span");
		who.className = "from";
		who.textContent = from + ":";
		item.appendChild(who);
		item.appendChild(document.createTextNode(" "));
	}
	item.appendChild(document.createTextNode(text));
	messages.appendChild(item);
	messages.scrollTop = messages.scrollHeight;
}

function showEntry(entry) {
	if (typeof entry.id === "string") {
		if (shown.has(entry.id)) {
			return;
		}
		shown.add(entry.id);
	}
	const data = entry.data || {};
	if (data.from === me) {
		show("own", String(data.message), "you");
	}
	else {
		show("message", String(data.message), String(data.from));
	}
}

function stream() {
	return "room:rooms:" + room;
}

function setControls(state) {
	const open = state === "open";
	const running = state !== "closed" && state !== "idle";
	messageInput.disabled = !open;
	sendButton.disabled = !open;
	leaveButton.disabled = !running;
	joinButton.disabled = running;
	nameInput.disabled = running;
	roomInput.disabled = running;
}

function onState(event) {
	status.dataset.state = event.state;
	status.dataset.connects = String(client.stats.connects);
	if (event.code !== undefined) {
		status.dataset.code = String(event.code);
	}
	switch (event.state) {
		case "open":
			status.textContent = "Connected to " + room + " as " + me
				+ ((event.reason === "reconnected") ? " (reconnected)" : "");
			messageInput.focus();
			break;
		case "connecting":
			status.textContent = "Connecting…";
			break;
		case "reconnecting":
			status.textContent = "Reconnecting in " + (event.delay / 1000).toFixed(1) + " s: " + event.reason;
			break;
		default:
			status.textContent = "Disconnected: " + event.reason;
	}
	setControls(event.state);
}

async function loadHistory(reset) {
	loadingHistory = true;
	let reply;
	try {
		reply = await client.request("history");
	}
	catch (error) {
		show("error", "History not loaded: " + error.message);
		reply = { messages: [] };
	}
	if (reset) {
		messages.replaceChildren();
		shown.clear();
		show("system", "History reloaded");
	}
	for (const entry of reply.messages) {
		showEntry(entry);
	}
	const last = reply.messages[reply.messages.length - 1];
	if (last !== undefined) {
		client.advance(last.position);
	}
	const waiting = held;
	held = [];
	loadingHistory = false;
	waiting.forEach(showEntry);
}

// Presence cues only say that something changed: the members are read again, one read at a
// time, and once more if a cue came during a read, so the list ends as the server has it.
async function readMembers() {
	if (readingMembers) {
		readMembersAgain = true;
		return;
	}
	readingMembers = true;
	try {
		do {
			readMembersAgain = false;
			const users = await client.presence("rooms:" + room);
			members.replaceChildren(...users.map((user) => {
				const item = document.createElement("li");
				item.textContent = user;
				if (user === me) {
					item.dataset.self = "true";
				}
				return item;
			}));
		} while (readMembersAgain);
	}
	catch (error) {
		if (client.isOpen) {
			show("error", "Members not read: " + error.message);
		}
	}
	finally {
		readingMembers = false;
	}
}

function onMessage(message) {
	switch (message.type) {
		case "message":
			if (loadingHistory) {
				held.push(message);
			}
			else {
				showEntry(message);
			}
			break;
		case "presence":
			readMembers();
			break;
		case "error":
			show("error", String(message.message));
			break;
		default:
			break;
	}
}

async function fetchToken(user) {
	const response = await fetch("dev/token", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ user: user })
	});
	const body = await response.json();
	if (!response.ok) {
		throw new Error(body.message || ("token endpoint answered " + response.status));
	}
	return body.token;
}

function join(event) {
	event.preventDefault();
	me = nameInput.value.trim();
	room = roomInput.value.trim();
	messages.replaceChildren();
	members.replaceChildren();
	shown.clear();
	client = new WsInfraClient("ws/rooms/" + encodeURIComponent(room), {
		token: () => fetchToken(me),
		reconnect: { maxDelay: 10000 }
	});
	// for the browser tests and the console
	window.chatClient = client;
	client.on("state", onState);
	client.on("open", (opened) => {
		readMembers();
		if (!opened.recovering.includes(stream())) {
			loadHistory(false);
		}
	});
	client.on("recovered", (recovery) => {
		if (recovery.stream === stream() && !recovery.recovered) {
			loadHistory(true);
		}
	});
	client.on("token", () => {
		status.dataset.refreshes = String(client.stats.refreshes);
	});
	client.on("message", onMessage);
	client.on("error", (error) => {
		// a token the page cannot fetch shows in the state line, as the reason of the retry
		if (error.code !== "token_failed") {
			show("error", error.message);
		}
	});
	client.connect();
}

function leave() {
	if (client !== null) {
		client.close(1000, "left the room");
	}
}

function send(event) {
	event.preventDefault();
	const text = messageInput.value;
	if (client === null || text.trim() === "") {
		return;
	}
	try {
		client.send({ message: text });
		messageInput.value = "";
	}
	catch (error) {
		show("error", "Not sent: " + error.message);
	}
}

joinForm.addEventListener("submit", join);
leaveButton.addEventListener("click", leave);
sendForm.addEventListener("submit", send);
