package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.endpoint.WsReply;
import dev.wsinfra.endpoint.WsRequest;
import dev.wsinfra.endpoint.WsRequestException;
import dev.wsinfra.endpoint.WsRequestHandler;
import dev.wsinfra.internal.LogThrottle;
import dev.wsinfra.internal.LogValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Answers the requests of one endpoint's sessions, each exactly once: through the
 * endpoint's {@link WsRequestHandler}, or the library's own {@code ws.*} methods
 * ({@link PresenceRequests}). A request without a usable id cannot be answered by id; it
 * gets an {@code error} message instead. Every outcome is counted by the observer.
 */
final class RequestDispatcher {

	static final int MAX_ID_LENGTH = 128;

	static final int MAX_METHOD_LENGTH = 128;

	static final String LIBRARY_METHOD_PREFIX = "ws.";

	private static final Log logger = LogFactory.getLog(RequestDispatcher.class);

	private final @Nullable WsRequestHandler handler;

	private final PresenceRequests presence;

	private final EndpointSessions sessions;

	private final EndpointObserver observer;

	private final JsonMapper jsonMapper;

	private final Duration timeout;

	private final int maxPending;

	// Failing handlers are the application's bugs, but clients choose how often.
	private final LogThrottle failures = new LogThrottle(TokenRefresh.REFUSALS_AT_INFO_EVERY);

	RequestDispatcher(@Nullable WsRequestHandler handler, PresenceRequests presence, EndpointSessions sessions,
			EndpointObserver observer, JsonMapper jsonMapper, WsRequestProperties properties) {
		this.handler = handler;
		this.presence = presence;
		this.sessions = sessions;
		this.observer = observer;
		this.jsonMapper = jsonMapper;
		this.timeout = properties.timeout();
		this.maxPending = properties.maxPending();
	}

	void handle(SessionState state, JsonNode message) {
		long start = System.nanoTime();
		String id = message.path("id").stringValue(null);
		if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
			this.sessions.send(state, this.jsonMapper.writeValueAsString(new InvalidRequest("error", "invalid_request",
					"A ws.request needs an \"id\" string of 1 to " + MAX_ID_LENGTH + " characters")));
			this.observer.requestHandled(EndpointObserver.REQUEST_REJECTED, System.nanoTime() - start);
			return;
		}
		String method = message.path("method").stringValue(null);
		if (method == null || method.isEmpty() || method.length() > MAX_METHOD_LENGTH) {
			reject(state, id, "invalid_request",
					"A ws.request needs a \"method\" string of 1 to " + MAX_METHOD_LENGTH + " characters", start);
			return;
		}
		if (state.pendingRequests.get() >= this.maxPending) {
			reject(state, id, "too_many_requests",
					"More than " + this.maxPending + " requests await their reply (ws.requests.max-pending)", start);
			return;
		}
		JsonNode data = message.path("data");
		EndpointRequest request = new EndpointRequest(id, method, data.isMissingNode() ? NullNode.getInstance() : data,
				state, this.jsonMapper);
		Object result;
		try {
			result = answer(request);
		}
		catch (WsRequestException ex) {
			finish(state, request.error(ex.code(), String.valueOf(ex.getMessage())), start);
			return;
		}
		catch (Exception ex) {
			this.failures.warn(logger, () -> "Request " + LogValues.escape(method) + " of " + state.describe()
					+ " failed; the client got internal_error", ex);
			finish(state, internalError(id), start);
			return;
		}
		if (result == WsRequestHandler.NO_REPLY) {
			this.observer.requestHandled(EndpointObserver.REQUEST_DEFERRED, System.nanoTime() - start);
		}
		else if (result instanceof CompletionStage<?> stage) {
			await(state, request, stage, start);
		}
		else {
			finish(state, (result instanceof WsReply reply) ? reply : request.reply(result), start);
		}
	}

	private @Nullable Object answer(EndpointRequest request) throws Exception {
		if (request.method().startsWith(LIBRARY_METHOD_PREFIX)) {
			if (PresenceRequests.METHOD.equals(request.method())) {
				return this.presence.answer(request);
			}
			throw new WsRequestException("unsupported", "Unknown method " + request.method());
		}
		if (this.handler == null) {
			throw new WsRequestException("unsupported", "This endpoint answers no requests");
		}
		return this.handler.handleRequest(request);
	}

	private void await(SessionState state, EndpointRequest request, CompletionStage<?> stage, long start) {
		state.pendingRequests.incrementAndGet();
		AtomicBoolean answered = new AtomicBoolean();
		ScheduledFuture<?> timer = this.sessions.timer().schedule(() -> {
			if (answered.compareAndSet(false, true)) {
				state.pendingRequests.decrementAndGet();
				cancel(stage);
				send(state, request.error("timeout", "No reply within " + this.timeout),
						EndpointObserver.REQUEST_TIMEOUT, start);
			}
		}, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		stage.whenComplete((value, failure) -> {
			if (!answered.compareAndSet(false, true)) {
				return;
			}
			timer.cancel(false);
			state.pendingRequests.decrementAndGet();
			finish(state, (failure != null) ? failed(state, request, failure)
					: (value instanceof WsReply reply) ? reply : request.reply(value), start);
		});
	}

	private static void cancel(CompletionStage<?> stage) {
		try {
			stage.toCompletableFuture().cancel(false);
		}
		catch (UnsupportedOperationException ex) {
			// a stage that cannot be cancelled runs on; its late result is dropped
		}
	}

	private WsReply failed(SessionState state, EndpointRequest request, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof WsRequestException ex) {
			return request.error(ex.code(), String.valueOf(ex.getMessage()));
		}
		if (!(cause instanceof CancellationException)) {
			this.failures.warn(logger, () -> "Request " + LogValues.escape(request.method()) + " of " + state.describe()
					+ " failed; the client got internal_error", cause);
		}
		return internalError(request.id());
	}

	private void reject(SessionState state, String id, String code, String message, long start) {
		send(state, WsReply.error(id, code, message), EndpointObserver.REQUEST_REJECTED, start);
	}

	private void finish(SessionState state, WsReply reply, long start) {
		send(state, reply, (reply.error() != null) ? EndpointObserver.REQUEST_ERROR : EndpointObserver.REQUEST_SUCCESS,
				start);
	}

	private void send(SessionState state, WsReply reply, String outcome, long start) {
		String text;
		try {
			text = this.jsonMapper.writeValueAsString(reply);
		}
		catch (JacksonException ex) {
			this.failures.warn(logger, () -> "The reply to a request of " + state.describe()
					+ " could not be written as JSON; the client got internal_error", ex);
			text = this.jsonMapper.writeValueAsString(internalError(reply.id()));
			outcome = EndpointObserver.REQUEST_ERROR;
		}
		this.sessions.send(state, text);
		this.observer.requestHandled(outcome, System.nanoTime() - start);
	}

	private static WsReply internalError(String id) {
		return WsReply.error(id, "internal_error", "The request failed on the server");
	}

	/** The answer to a request that has no id to reply to. */
	record InvalidRequest(String type, String error, String message) {

	}

}
