package dev.wsinfra.autoconfigure.realtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.WebSocketException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.client.SendQueueFullException;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.client.WebSocketListener;
import dev.wsinfra.internal.LogValues;
import dev.wsinfra.realtime.RealtimeHandshake;
import dev.wsinfra.realtime.RealtimeSessionConfig;
import dev.wsinfra.realtime.RealtimeSessionCustomizer;
import dev.wsinfra.realtime.RealtimeToolCall;
import dev.wsinfra.realtime.RealtimeUsage;
import dev.wsinfra.realtime.RealtimeUsageListener;
import dev.wsinfra.realtime.RealtimeVerdict;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.socket.WebSocketSession;

/**
 * One browser connection paired with one provider connection.
 * <p>
 * The provider connection opens on a writer thread right after the browser's; the
 * browser's events wait, up to the provider queue size, until the provider is ready.
 * Browser events arrive on the container's thread, are checked against the policy and
 * queued on the provider connection without blocking; provider events arrive on the
 * client's reading thread and go to the {@link ClientOutbox} without blocking. The
 * session ends once, for the first reason: the other side is then closed at once, with an
 * error event first when the browser can act on it.
 */
final class RelaySession implements WebSocketListener, ClientOutbox.Owner {

	private static final Log logger = LogFactory.getLog(RelaySession.class);

	/** The reason the core client closes with when the provider missed its pongs. */
	private static final String KEEPALIVE_TIMEOUT = "keepalive ping timeout";

	final WebSocketSession client;

	final String userId;

	final long startedAt = System.nanoTime();

	private final Relay relay;

	private final ClientOutbox outbox;

	private final AtomicReference<@Nullable RelayClose> ended = new AtomicReference<>();

	// Nanotime of the last message either way, read by the timer.
	volatile long lastActivity = this.startedAt;

	// Nanotime since when a request of the browser waits for the provider's answer, 0
	// when none does.
	volatile long replyDueSince;

	private volatile @Nullable RealtimeSessionConfig config;

	private volatile @Nullable ToolCalls tools;

	private volatile @Nullable WebSocketClient upstream;

	// Guarded by this: whether the provider takes the browser's events yet, and those
	// that wait until it does.
	private boolean ready;

	private final ArrayDeque<String> pending = new ArrayDeque<>();

	RelaySession(WebSocketSession client, String userId, Relay relay) {
		this.client = client;
		this.userId = userId;
		this.relay = relay;
		this.outbox = new ClientOutbox(client, relay.writers, relay.properties.clientQueueBytes().toBytes(),
				relay.properties.slowClientPolicy(), this);
	}

	/** Opens the provider connection, on a writer thread. */
	void start() {
		this.relay.writers.execute(this::connect);
	}

	private void connect() {
		RealtimeSessionConfig template = this.relay.template;
		// The template's user is a placeholder: every session has its own.
		RealtimeSessionConfig config = new RealtimeSessionConfig(this.userId, template.model(), template.voice(),
				template.instructions(), template.tools());
		try {
			RealtimeSessionConfig.Builder own = config.toBuilder();
			for (RealtimeSessionCustomizer customizer : this.relay.customizers) {
				customizer.customize(own, this.client);
			}
			config = own.build();
		}
		catch (RuntimeException ex) {
			logger.warn("A realtime session customizer failed for " + describe(), ex);
			end(RelayClose.SERVER_ERROR, RelayErrors.error("server_error", "The session could not be configured"));
			return;
		}
		this.config = config;
		this.tools = new ToolCalls(this.relay.provider, config, this.relay.tools, this.relay.timer,
				this.relay.properties.toolTimeout(), this.relay.json, this.relay.observer, this::sendInternal);
		WebSocketClient upstream;
		try {
			RealtimeHandshake handshake = this.relay.provider.handshake(config, this.relay.apiKey, this.relay.url());
			WebSocketClient.Builder builder = WebSocketClient.builder(handshake.url())
				.config(this.relay.upstreamConfig)
				.jsonMapper(this.relay.json)
				.listener(this);
			handshake.headers().forEach(builder::header);
			upstream = builder.build();
		}
		catch (RuntimeException ex) {
			// Never the exception itself: its message may hold the URL with its key.
			logger
				.warn("The provider connection of " + describe() + " could not be set up: " + ex.getClass().getName());
			end(RelayClose.SERVER_ERROR, RelayErrors.error("server_error", "The session could not be set up"));
			return;
		}
		this.upstream = upstream;
		try {
			upstream.connect();
		}
		catch (ConnectionFailedException ex) {
			connectFailed(ex);
			return;
		}
		catch (WebSocketException ex) {
			connectFailed(new ConnectionFailedException(ex.getClass().getSimpleName(), ex));
			return;
		}
		if (this.ended.get() != null) {
			closeUpstream();
			return;
		}
		try {
			for (ObjectNode event : this.relay.provider.setup(config)) {
				upstream.send(this.relay.json.writeValueAsString(event));
			}
		}
		catch (WebSocketException ex) {
			// The provider closed at once: its onClose ends the session.
			return;
		}
		if (this.relay.provider.isReady(null)) {
			ready();
		}
	}

	private void connectFailed(ConnectionFailedException ex) {
		int status = ex.httpStatus().orElse(-1);
		Map<String, Object> details = new LinkedHashMap<>();
		RelayClose reason;
		String code;
		String message;
		if (status == 429) {
			reason = RelayClose.PROVIDER_RATE_LIMITED;
			code = "provider_rate_limited";
			message = "The provider's rate limit was reached; try again later";
			ex.retryAfter().ifPresent((retry) -> details.put("retry_after", Math.max(1, retry.toSeconds())));
		}
		else if (status > 0) {
			reason = RelayClose.PROVIDER_REFUSED;
			code = (status == 401 || status == 403) ? "provider_auth_failed" : "provider_refused";
			message = "The provider refused the session (HTTP " + status + ")";
		}
		else {
			reason = RelayClose.PROVIDER_UNREACHABLE;
			code = "provider_unreachable";
			message = "The provider could not be reached";
		}
		if (status > 0) {
			details.put("http_status", status);
		}
		// The exception's message names the URL without its query, never the key.
		logger.warn("Realtime provider " + this.relay.provider.name() + " failed for " + describe() + ": "
				+ ex.getMessage());
		end(reason, RelayErrors.error(code, message, details, null));
	}

	// Guarded by this: lets the waiting events go, in order.
	private synchronized void ready() {
		if (this.ready) {
			return;
		}
		this.ready = true;
		String next;
		while ((next = this.pending.poll()) != null) {
			if (!sendUpstream(next)) {
				return;
			}
		}
	}

	/** Handles a message of the browser, on the container's thread. */
	void fromClient(org.springframework.web.socket.WebSocketMessage<?> message) {
		if (this.ended.get() != null) {
			return;
		}
		this.lastActivity = System.nanoTime();
		if (message instanceof org.springframework.web.socket.BinaryMessage binary) {
			byte[] audio = new byte[binary.getPayloadLength()];
			binary.getPayload().duplicate().get(audio);
			audioIn(audio.length);
			forward(this.relay.json.writeValueAsString(this.relay.provider.audioInput(audio)));
			return;
		}
		if (!(message instanceof org.springframework.web.socket.TextMessage text)) {
			return;
		}
		// Malformed JSON escapes to the endpoint, which counts it as a bad message.
		JsonNode event = this.relay.json.readTree(text.getPayload());
		String refusal = check(event);
		if (refusal != null) {
			return;
		}
		int audioBytes = this.relay.provider.inputAudioBytes(event);
		if (audioBytes > 0) {
			audioIn(audioBytes);
			forward(text.getPayload());
			return;
		}
		if (this.relay.provider.expectsReply(event) && this.replyDueSince == 0) {
			this.replyDueSince = System.nanoTime();
		}
		// Re-written, since the check may have filtered it.
		forward(this.relay.json.writeValueAsString(event));
	}

	/**
	 * Checks an event of the browser against the policy, answering a refusal with an
	 * error event.
	 * @return the refusal's code, or {@code null} when the event may go on
	 */
	private @Nullable String check(JsonNode event) {
		String type = event.isObject() ? this.relay.provider.clientEventType(event) : null;
		RealtimeVerdict verdict;
		if (type == null) {
			verdict = RealtimeVerdict.refuse("invalid_event", "An event must be a JSON object with a type");
		}
		else if (!this.relay.policy.allowsEvent(type)) {
			verdict = RealtimeVerdict.refuse("event_not_allowed",
					"Events of type " + LogValues.escape(type) + " are not allowed on this relay");
		}
		else {
			verdict = this.relay.provider.check(type, (ObjectNode) event, this.relay.policy);
		}
		if (verdict.accepted()) {
			return null;
		}
		String code = (verdict.code() != null) ? verdict.code() : "refused";
		this.relay.observer.refused(code);
		JsonNode eventId = event.path("event_id");
		this.outbox.offer(RelayErrors.error(code, String.valueOf(verdict.message()), Map.of(),
				eventId.isString() ? eventId.asString() : null), false);
		if (logger.isDebugEnabled()) {
			logger.debug("Refused an event of " + describe() + ": " + code);
		}
		return code;
	}

	private void audioIn(int bytes) {
		RealtimeSessionConfig config = this.config;
		if (config != null) {
			this.relay.observer.audio(this.userId, config.model(), true,
					seconds(bytes, this.relay.provider.inputSampleRate()));
		}
	}

	private static double seconds(int pcm16Bytes, int sampleRate) {
		return pcm16Bytes / 2.0 / sampleRate;
	}

	private synchronized void forward(String text) {
		if (!this.ready) {
			if (this.pending.size() >= this.relay.properties.providerQueueSize()) {
				stalled("The provider did not get ready in time for the session's events");
				return;
			}
			this.pending.add(text);
			return;
		}
		sendUpstream(text);
	}

	/** Sends an event of the relay's own, such as a tool result, past the policy. */
	private void sendInternal(ObjectNode event) {
		forward(this.relay.json.writeValueAsString(event));
	}

	private boolean sendUpstream(String text) {
		WebSocketClient upstream = this.upstream;
		if (upstream == null || this.ended.get() != null) {
			return false;
		}
		try {
			upstream.send(text);
			return true;
		}
		catch (SendQueueFullException ex) {
			stalled("The provider stopped reading the session's events");
		}
		catch (WebSocketException ex) {
			// The connection is closing: its onClose ends the session.
		}
		return false;
	}

	@Override
	public void onMessage(WebSocketClient upstream, WebSocketMessage message) {
		if (this.ended.get() != null) {
			return;
		}
		long now = System.nanoTime();
		this.lastActivity = now;
		this.replyDueSince = 0;
		String text = message.isText() ? message.text() : new String(message.bytes(), StandardCharsets.UTF_8);
		JsonNode event;
		try {
			event = this.relay.json.readTree(text);
		}
		catch (JacksonException ex) {
			this.outbox.offer(text, false);
			return;
		}
		if (!isReady() && this.relay.provider.isReady(event)) {
			ready();
		}
		RealtimeSessionConfig config = this.config;
		int audioBytes = this.relay.provider.outputAudioBytes(event);
		if (audioBytes > 0 && config != null) {
			this.relay.observer.audio(this.userId, config.model(), false,
					seconds(audioBytes, this.relay.provider.outputSampleRate()));
		}
		RealtimeUsage usage = this.relay.provider.usage(event);
		if (usage != null && config != null) {
			usage(config, usage);
		}
		this.outbox.offer(text, audioBytes > 0);
		ToolCalls tools = this.tools;
		if (tools != null) {
			List<RealtimeToolCall> calls = this.relay.provider.toolCalls(event, this.userId);
			if (!calls.isEmpty()) {
				tools.start(calls);
			}
			if (this.relay.provider.endsResponse(event)) {
				tools.responseEnded();
			}
		}
	}

	private synchronized boolean isReady() {
		return this.ready;
	}

	private void usage(RealtimeSessionConfig config, RealtimeUsage usage) {
		this.relay.observer.usage(this.userId, config.model(), usage);
		for (RealtimeUsageListener listener : this.relay.usageListeners) {
			try {
				listener.onUsage(this.userId, config.model(), usage);
			}
			catch (RuntimeException ex) {
				logger.warn("A realtime usage listener failed", ex);
			}
		}
	}

	@Override
	public void onClose(WebSocketClient upstream, int code, String reason) {
		if (this.ended.get() != null) {
			return;
		}
		if (code == 1011 && KEEPALIVE_TIMEOUT.equals(reason)) {
			stalled("The provider stopped answering keepalive pings");
			return;
		}
		String shown = LogValues.escape(reason);
		logger.info("Realtime provider " + this.relay.provider.name() + " closed " + describe() + " with " + code
				+ (reason.isEmpty() ? "" : " (" + shown + ")"));
		end(RelayClose.PROVIDER_CLOSED, RelayErrors.error("provider_closed", "The provider closed the session",
				Map.of("provider_code", code, "provider_reason", shown), null));
	}

	@Override
	public void onError(WebSocketClient upstream, Throwable error) {
		if (logger.isDebugEnabled()) {
			logger.debug("Realtime provider connection of " + describe() + " failed: " + error);
		}
	}

	void stalled(String detail) {
		logger.warn("Realtime provider " + this.relay.provider.name() + " stalled for " + describe() + ": " + detail);
		end(RelayClose.PROVIDER_STALLED, RelayErrors.error("provider_stalled", detail));
	}

	@Override
	public void audioDropped(int deltas) {
		this.relay.observer.audioDropped(deltas);
	}

	@Override
	public void slowClient() {
		if (this.ended.compareAndSet(null, RelayClose.SLOW_CLIENT)) {
			logger.info("Closing " + describe() + " with 1013: it reads the provider's events too slowly");
			this.relay.observer.closed(RelayClose.SLOW_CLIENT);
			this.outbox.abandon(RelayClose.SLOW_CLIENT.status());
			closeUpstream();
		}
	}

	@Override
	public void writeFailed() {
		if (this.ended.compareAndSet(null, RelayClose.SLOW_CLIENT)) {
			logger.info("Closing " + describe() + ": a write to it failed or timed out");
			this.relay.observer.closed(RelayClose.SLOW_CLIENT);
			this.outbox.abandon(RelayClose.SLOW_CLIENT.status());
			closeUpstream();
		}
	}

	/**
	 * Ends the session for a reason of the relay's: the browser gets the error event and
	 * the reason's close status, the provider connection is closed at once.
	 */
	void end(RelayClose reason, @Nullable String error) {
		if (!this.ended.compareAndSet(null, reason)) {
			return;
		}
		this.relay.observer.closed(reason);
		this.outbox.finish(error, reason.status());
		closeUpstream();
	}

	/** The browser's connection closed, whoever closed it. */
	void clientClosed(int code) {
		RelayClose reason = (code == RelayClose.SHUTDOWN.status().getCode()) ? RelayClose.SHUTDOWN
				: RelayClose.CLIENT_CLOSED;
		if (this.ended.compareAndSet(null, reason)) {
			this.relay.observer.closed(reason);
		}
		this.outbox.abandon(reason.status());
		closeUpstream();
	}

	boolean isEnded() {
		return this.ended.get() != null;
	}

	private void closeUpstream() {
		WebSocketClient upstream = this.upstream;
		if (upstream != null) {
			// close() waits for the provider's close frame: not on the caller's thread,
			// unless the relay is stopping and its threads are gone.
			Runnable close = () -> {
				try {
					upstream.close(1000, "");
				}
				catch (RuntimeException ex) {
					logger.debug("Close of the provider connection of " + describe() + " failed", ex);
				}
			};
			try {
				this.relay.writers.execute(close);
			}
			catch (RejectedExecutionException ex) {
				close.run();
			}
		}
	}

	String describe() {
		return "realtime session " + this.client.getId() + " of user " + LogValues.escape(this.userId);
	}

}
