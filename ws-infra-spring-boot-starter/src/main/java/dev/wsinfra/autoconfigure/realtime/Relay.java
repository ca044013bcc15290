package dev.wsinfra.autoconfigure.realtime;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.realtime.RealtimeClientPolicy;
import dev.wsinfra.realtime.RealtimeProvider;
import dev.wsinfra.realtime.RealtimeSessionConfig;
import dev.wsinfra.realtime.RealtimeSessionCustomizer;
import dev.wsinfra.realtime.RealtimeUsageListener;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every relay session of an application shares: the provider and its key, the
 * policy, the settings, the hooks, the limits and the threads. The writer threads drain
 * the browsers' queues, each session's at most one at a time, so they number at most the
 * sessions; the tool threads run tool calls; one timer thread checks the sessions' time
 * limits and the tools' timeouts.
 */
final class Relay {

	final RealtimeProvider provider;

	final String apiKey;

	private final Supplier<@Nullable URI> url;

	final WsRealtimeProperties properties;

	final RealtimeClientPolicy policy;

	final WebSocketConfig upstreamConfig;

	final RealtimeSessionConfig template;

	final List<RealtimeSessionCustomizer> customizers;

	final List<RealtimeUsageListener> usageListeners;

	final RelayObserver observer;

	final RelayLimits limits;

	final JsonMapper json;

	final ExecutorService writers;

	final ExecutorService tools;

	final ScheduledThreadPoolExecutor timer;

	Relay(RealtimeProvider provider, String apiKey, Supplier<@Nullable URI> url, WsRealtimeProperties properties,
			RealtimeClientPolicy policy, WebSocketConfig upstreamConfig, RealtimeSessionConfig template,
			List<RealtimeSessionCustomizer> customizers, List<RealtimeUsageListener> usageListeners,
			RelayObserver observer, RelayLimits limits, JsonMapper json) {
		this.provider = provider;
		this.apiKey = apiKey;
		this.url = url;
		this.properties = properties;
		this.policy = policy;
		this.upstreamConfig = upstreamConfig;
		this.template = template;
		this.customizers = List.copyOf(customizers);
		this.usageListeners = List.copyOf(usageListeners);
		this.observer = observer;
		this.limits = limits;
		this.json = json;
		this.writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				DaemonThreads.factory("ws-infra-realtime-writer"));
		this.tools = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				DaemonThreads.factory("ws-infra-realtime-tool"));
		this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.factory("ws-infra-realtime-timer"));
		this.timer.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Returns the URL that replaces the provider's endpoint, its placeholders resolved
	 * now.
	 */
	@Nullable URI url() {
		return this.url.get();
	}

	void shutdown() {
		this.timer.shutdownNow();
		this.tools.shutdownNow();
		this.writers.shutdown();
	}

}
