// The chat page of the ws-infra sample: plain JavaScript, no build step.
// 1. POST /dev/token {"user": name} -> {"token": jwt}   (a sample-only endpoint)
// 2. new WebSocket(ws://host/ws/chat/<room>, ["bearer", jwt])   (the token travels as a subprotocol)
// 3. send {"message": text}; receive {"type": "message", "from", "message"} and {"type": "system", "message"}
(function () {
	"use strict";

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

	let socket = null;

	function setStatus(state, text) {
		status.dataset.state = state;
		status.textContent = text;
	}

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

	function setConnected(connected) {
		messageInput.disabled = !connected;
		sendButton.disabled = !connected;
		leaveButton.disabled = !connected;
		joinButton.disabled = connected;
		nameInput.disabled = connected;
		roomInput.disabled = connected;
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

	function chatUrl(room) {
		const scheme = location.protocol === "https:" ? "wss:" : "ws:";
		const base = location.pathname.replace(/[^/]*$/, "");
		return scheme + "//" + location.host + base + "ws/chat/" + encodeURIComponent(room);
	}

	async function join(event) {
		event.preventDefault();
		const user = nameInput.value.trim();
		const room = roomInput.value.trim();
		joinButton.disabled = true;
		setStatus("connecting", "Connecting…");
		let token;
		try {
			token = await fetchToken(user);
		}
		catch (error) {
			setStatus("error", "No token: " + error.message);
			joinButton.disabled = false;
			return;
		}
		const ws = new WebSocket(chatUrl(room), ["bearer", token]);
		socket = ws;
		ws.onopen = function () {
			setConnected(true);
			setStatus("connected", "Connected to " + room + " as " + user);
			messageInput.focus();
		};
		ws.onmessage = function (message) {
			let data;
			try {
				data = JSON.parse(message.data);
			}
			catch (error) {
				return;
			}
			if (data.type === "message") {
				show("message", data.message, data.from);
			}
			else if (data.type === "system") {
				show("system", data.message);
			}
			else if (data.type === "error") {
				show("error", data.message);
			}
		};
		ws.onclose = function (close) {
			if (socket !== ws) {
				return;
			}
			socket = null;
			setConnected(false);
			const reason = close.code === 4001 ? "the token expired, join again"
				: close.code === 4008 ? "too many connections for this name"
				: close.reason || ("code " + close.code);
			setStatus(close.code === 1000 ? "disconnected" : "error", "Disconnected: " + reason);
		};
	}

	function leave() {
		if (socket !== null) {
			socket.close(1000, "Left");
		}
	}

	function send(event) {
		event.preventDefault();
		const text = messageInput.value;
		if (socket === null || text.trim() === "") {
			return;
		}
		socket.send(JSON.stringify({ message: text }));
		show("own", text, "you");
		messageInput.value = "";
	}

	joinForm.addEventListener("submit", join);
	leaveButton.addEventListener("click", leave);
	sendForm.addEventListener("submit", send);
}());
