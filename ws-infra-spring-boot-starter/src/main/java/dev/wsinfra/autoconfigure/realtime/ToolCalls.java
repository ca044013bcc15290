package dev.wsinfra.autoconfigure.realtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.wsinfra.internal.LogValues;
import dev.wsinfra.realtime.RealtimeProvider;
import dev.wsinfra.realtime.RealtimeSessionConfig;
import dev.wsinfra.realtime.RealtimeTool;
import dev.wsinfra.realtime.RealtimeToolCall;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The function calls of one relay session: each runs on the relay's tool threads, bounded
 * by the tool timeout (the tool's thread is then interrupted), and its result, or an
 * error the model can read, goes to the provider. Once every call of a response has its
 * result and the response ended, the provider's follow-up (OpenAI's
 * {@code response.create}) is sent, once.
 */
final class ToolCalls {

	private static final Log logger = LogFactory.getLog(ToolCalls.class);

	private final RealtimeProvider provider;

	private final RealtimeSessionConfig config;

	private final ExecutorService executor;

	private final ScheduledExecutorService timer;

	private final Duration timeout;

	private final JsonMapper json;

	private final RelayObserver observer;

	private final Consumer<ObjectNode> upstream;

	// Guarded by this: calls without a result yet, whether a result was sent since the
	// last follow-up, and whether the response of the calls ended.
	private int inFlight;

	private boolean answered;

	private boolean responseEnded;

	ToolCalls(RealtimeProvider provider, RealtimeSessionConfig config, ExecutorService executor,
			ScheduledExecutorService timer, Duration timeout, JsonMapper json, RelayObserver observer,
			Consumer<ObjectNode> upstream) {
		this.provider = provider;
		this.config = config;
		this.executor = executor;
		this.timer = timer;
		this.timeout = timeout;
		this.json = json;
		this.observer = observer;
		this.upstream = upstream;
	}

	/** Starts the calls an event of the provider asks for. */
	void start(List<RealtimeToolCall> calls) {
		synchronized (this) {
			this.inFlight += calls.size();
			this.responseEnded = false;
		}
		for (RealtimeToolCall call : calls) {
			RealtimeTool tool = this.config.tool(call.name());
			if (tool == null) {
				complete(call, "unknown", error("Unknown tool " + call.name()));
				continue;
			}
			AtomicBoolean done = new AtomicBoolean();
			Future<?> task = this.executor.submit(() -> run(tool, call, done));
			this.timer.schedule(() -> {
				if (done.compareAndSet(false, true)) {
					task.cancel(true);
					logger.info("Realtime tool " + tool.name() + " timed out after " + this.timeout);
					this.observer.toolCall(tool.name(), "timeout");
					send(call, error("Tool " + call.name() + " timed out"));
				}
			}, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void run(RealtimeTool tool, RealtimeToolCall call, AtomicBoolean done) {
		JsonNode result;
		String outcome;
		try {
			result = this.json.valueToTree(tool.call(call));
			outcome = "success";
		}
		catch (Exception ex) {
			logger.info("Realtime tool " + tool.name() + " failed for user " + LogValues.escape(call.userId()), ex);
			result = error("Tool " + call.name() + " failed: " + ex.getClass().getSimpleName());
			outcome = "error";
		}
		if (done.compareAndSet(false, true)) {
			complete(call, tool.name(), result, outcome);
		}
	}

	private void complete(RealtimeToolCall call, String tool, JsonNode result) {
		complete(call, tool, result, "error");
	}

	private void complete(RealtimeToolCall call, String tool, JsonNode result, String outcome) {
		this.observer.toolCall(tool, outcome);
		send(call, result);
	}

	private void send(RealtimeToolCall call, JsonNode result) {
		this.provider.toolResult(call, result).forEach(this.upstream);
		synchronized (this) {
			this.inFlight--;
			this.answered = true;
		}
		followUp();
	}

	/** Notes that the provider ended a response. */
	void responseEnded() {
		synchronized (this) {
			this.responseEnded = true;
		}
		followUp();
	}

	private void followUp() {
		synchronized (this) {
			if (this.inFlight > 0 || !this.responseEnded || !this.answered) {
				return;
			}
			this.answered = false;
			this.responseEnded = false;
		}
		this.provider.afterToolResults().forEach(this.upstream);
	}

	private ObjectNode error(String message) {
		return this.json.createObjectNode().put("error", message);
	}

}
