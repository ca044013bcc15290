// The realtime voice page of the ws-infra sample: plain JavaScript, no build step.
// 1. GET /api/realtime -> {"provider": "openai"|"gemini", "inputSampleRate", "outputSampleRate"}
// 2. POST /dev/token {"user": name, "scopes": ["realtime"]} -> {"token": jwt}   (a sample-only endpoint)
// 3. new WebSocket(ws://host/ws/realtime, ["bearer", jwt]); the relay passes the provider's own events
// 4. while the button is held, microphone audio goes out as binary PCM16 messages, which the relay
//    wraps in the provider's append event; on release the turn ends the provider's way
// 5. audio deltas (OpenAI's response.output_audio.delta, Gemini's inlineData parts) play as they come
// window.realtimeDemo.talk(samples) sends a generated buffer instead of the microphone (tests, demos).
(function () {
	"use strict";

	const connectForm = document.getElementById("connect-form");
	const nameInput = document.getElementById("name");
	const connectButton = document.getElementById("connect");
	const disconnectButton = document.getElementById("disconnect");
	const talkButton = document.getElementById("talk");
	const status = document.getElementById("status");
	const providerName = document.getElementById("provider");
	const sentBytes = document.getElementById("sent-bytes");
	const receivedBytes = document.getElementById("received-bytes");
	const responses = document.getElementById("responses");
	const transcript = document.getElementById("transcript");
	const messages = document.getElementById("messages");

	let socket = null;
	let info = null;
	let microphone = null;
	let talking = false;
	let player = null;
	let playAt = 0;
	const counts = { sent: 0, received: 0, responses: 0, played: 0, audioInResponse: 0 };

	function setStatus(state, text) {
		status.dataset.state = state;
		status.textContent = text;
	}

	function show(type, text) {
		const item = document.createElement("li");
		item.dataset.type = type;
		item.textContent = text;
		messages.appendChild(item);
		messages.scrollTop = messages.scrollHeight;
	}

	function updateCounts() {
		sentBytes.textContent = String(counts.sent);
		receivedBytes.textContent = String(counts.received);
		responses.textContent = String(counts.responses);
	}

	function setConnected(connected) {
		connectButton.disabled = connected;
		nameInput.disabled = connected;
		disconnectButton.disabled = !connected;
		talkButton.disabled = !connected;
	}

	async function fetchJson(url, options) {
		const response = await fetch(url, options);
		const body = await response.json();
		if (!response.ok) {
			throw new Error(body.message || (url + " answered " + response.status));
		}
		return body;
	}

	async function connect(user) {
		info = await fetchJson("api/realtime");
		providerName.textContent = info.standIn ? "the sample's local stand-in" : info.provider;
		const token = (await fetchJson("dev/token", {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ user: user, scopes: ["realtime"] })
		})).token;
		const scheme = (location.protocol === "https:") ? "wss:" : "ws:";
		const base = location.pathname.replace(/[^/]*$/, "");
		socket = new WebSocket(scheme + "//" + location.host + base + "ws/realtime", ["bearer", token]);
		socket.binaryType = "arraybuffer";
		socket.onopen = () => {
			setConnected(true);
			setStatus("connected", "Connected");
			if (info.provider === "openai") {
				// push to talk: the page, not the provider's voice detection, ends each turn
				send({ type: "session.update", session: { type: "realtime", audio: { input: { turn_detection: null } } } });
			}
		};
		socket.onmessage = (message) => receive(message.data);
		socket.onclose = (event) => {
			setConnected(false);
			setStatus("disconnected", "Closed: " + event.code + (event.reason ? " " + event.reason : ""));
			socket = null;
		};
	}

	function send(event) {
		if (socket && socket.readyState === WebSocket.OPEN) {
			socket.send(JSON.stringify(event));
		}
	}

	function sendAudio(float32) {
		const pcm = new Int16Array(float32.length);
		for (let i = 0; i < float32.length; i++) {
			const sample = Math.max(-1, Math.min(1, float32[i]));
			pcm[i] = (sample < 0) ? sample * 0x8000 : sample * 0x7fff;
		}
		if (socket && socket.readyState === WebSocket.OPEN) {
			socket.send(pcm.buffer);
			counts.sent += pcm.byteLength;
			updateCounts();
		}
	}

	function endTurn() {
		setStatus("waiting", "Waiting for the answer");
		if (info.provider === "gemini") {
			send({ realtimeInput: { audioStreamEnd: true } });
		}
		else {
			send({ type: "input_audio_buffer.commit" });
			send({ type: "response.create" });
		}
	}

	function receive(data) {
		const text = (typeof data === "string") ? data : new TextDecoder().decode(data);
		let event;
		try {
			event = JSON.parse(text);
		}
		catch (ignored) {
			return;
		}
		for (const audio of audioOf(event)) {
			play(audio);
		}
		if (event.type === "error") {
			const error = event.error || {};
			show("error", (error.code || error.type || "error") + ": " + (error.message || ""));
		}
		const said = event.transcript || (event.serverContent && event.serverContent.outputTranscription
			&& event.serverContent.outputTranscription.text);
		if (said) {
			transcript.textContent = said;
			show("transcript", said);
		}
		if (event.type === "response.done" || (event.serverContent && event.serverContent.turnComplete)) {
			const usage = (event.response && event.response.usage) || event.usageMetadata;
			counts.responses++;
			updateCounts();
			// a response that only called a server tool has no audio: the answer follows
			if (counts.audioInResponse > 0) {
				setStatus("answered", "Answered");
			}
			counts.audioInResponse = 0;
			if (usage) {
				show("usage", "usage: " + JSON.stringify(usage));
			}
		}
	}

	function audioOf(event) {
		if (typeof event.type === "string" && event.type.endsWith("audio.delta") && event.delta) {
			return [event.delta];
		}
		const parts = event.serverContent && event.serverContent.modelTurn && event.serverContent.modelTurn.parts;
		return (parts || []).filter((part) => part.inlineData && part.inlineData.data).map((part) => part.inlineData.data);
	}

	function play(base64) {
		const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
		counts.received += bytes.length;
		counts.audioInResponse += bytes.length;
		updateCounts();
		const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
		if (pcm.length === 0) {
			return;
		}
		if (!player) {
			player = new AudioContext({ sampleRate: info.outputSampleRate });
			playAt = 0;
		}
		const buffer = player.createBuffer(1, pcm.length, info.outputSampleRate);
		const channel = buffer.getChannelData(0);
		for (let i = 0; i < pcm.length; i++) {
			channel[i] = pcm[i] / 0x8000;
		}
		const source = player.createBufferSource();
		source.buffer = buffer;
		source.connect(player.destination);
		playAt = Math.max(playAt, player.currentTime);
		source.start(playAt);
		playAt += buffer.duration;
		counts.played++;
	}

	async function startTalking() {
		if (talking || !socket) {
			return;
		}
		talking = true;
		setStatus("talking", "Listening…");
		try {
			if (!microphone) {
				const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
				const context = new AudioContext({ sampleRate: info.inputSampleRate });
				const source = context.createMediaStreamSource(stream);
				const processor = context.createScriptProcessor(4096, 1, 1);
				processor.onaudioprocess = (event) => {
					if (talking) {
						sendAudio(event.inputBuffer.getChannelData(0));
					}
				};
				source.connect(processor);
				processor.connect(context.destination);
				microphone = { stream: stream, context: context };
			}
		}
		catch (error) {
			talking = false;
			show("error", "microphone: " + error.message);
			setStatus("connected", "Connected");
		}
	}

	function stopTalking() {
		if (!talking) {
			return;
		}
		talking = false;
		endTurn();
	}

	connectForm.addEventListener("submit", (event) => {
		event.preventDefault();
		const user = nameInput.value.trim();
		if (user) {
			connect(user).catch((error) => show("error", error.message));
		}
	});
	disconnectButton.addEventListener("click", () => socket && socket.close(1000, "bye"));
	talkButton.addEventListener("pointerdown", startTalking);
	talkButton.addEventListener("pointerup", stopTalking);
	talkButton.addEventListener("pointerleave", stopTalking);

	window.realtimeDemo = {
		// Sends generated audio (Float32 samples at the provider's input rate) as one turn,
		// in 100 ms messages, as the microphone would.
		talk(samples) {
			const chunk = Math.round(info.inputSampleRate / 10);
			for (let offset = 0; offset < samples.length; offset += chunk) {
				sendAudio(samples.subarray(offset, Math.min(samples.length, offset + chunk)));
			}
			endTurn();
		},
		tone(frequency, seconds) {
			const samples = new Float32Array(Math.round(info.inputSampleRate * seconds));
			for (let i = 0; i < samples.length; i++) {
				samples[i] = 0.5 * Math.sin(2 * Math.PI * frequency * i / info.inputSampleRate);
			}
			return samples;
		},
		counts: counts
	};
})();
