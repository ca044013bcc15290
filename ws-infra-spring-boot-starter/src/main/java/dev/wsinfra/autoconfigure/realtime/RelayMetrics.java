package dev.wsinfra.autoconfigure.realtime;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import dev.wsinfra.realtime.RealtimeUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The relay's meters, tagged with the provider and the instance:
 * {@code realtime.sessions.active}, {@code realtime.sessions.closed} by reason,
 * {@code realtime.tokens} and {@code realtime.audio.seconds} by model, user and
 * direction, {@code realtime.audio.dropped}, {@code realtime.events.refused} by code and
 * {@code realtime.tool.calls} by tool and outcome.
 * <p>
 * Users are tagged by id up to {@code ws.realtime.metrics-max-users} distinct ones, the
 * first seen; later users share the value {@value #OTHER_USER}, so that the number of
 * series stays bounded (users × models × 2 per meter) however many users come. Models are
 * the service's choice, never the browser's, and tools are the application's beans.
 */
final class RelayMetrics implements RelayObserver {

	static final String SESSIONS_ACTIVE = "realtime.sessions.active";

	static final String SESSIONS_CLOSED = "realtime.sessions.closed";

	static final String TOKENS = "realtime.tokens";

	static final String AUDIO_SECONDS = "realtime.audio.seconds";

	static final String AUDIO_DROPPED = "realtime.audio.dropped";

	static final String EVENTS_REFUSED = "realtime.events.refused";

	static final String TOOL_CALLS = "realtime.tool.calls";

	static final String OTHER_USER = "other";

	private final MeterRegistry registry;

	private final Tags tags;

	private final int maxUsers;

	// Guarded by itself: the users tagged by id.
	private final Set<String> taggedUsers = new HashSet<>();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Counter dropped;

	<T> RelayMetrics(MeterRegistry registry, String provider, String instanceId, int maxUsers, T sessions,
			ToDoubleFunction<T> active) {
		this.registry = registry;
		this.tags = Tags.of("provider", provider, "instance.id", instanceId);
		this.maxUsers = maxUsers;
		Gauge.builder(SESSIONS_ACTIVE, sessions, active)
			.description("Open realtime relay sessions")
			.tags(this.tags)
			.register(registry);
		this.dropped = Counter.builder(AUDIO_DROPPED)
			.description("Audio deltas dropped for browsers that read too slowly")
			.tags(this.tags)
			.register(registry);
	}

	@Override
	public void closed(RelayClose reason) {
		counter(SESSIONS_CLOSED, "Realtime relay sessions ended, by reason", "reason", reason.tag()).increment();
	}

	@Override
	public void usage(String userId, String model, RealtimeUsage usage) {
		String user = userTag(userId);
		counter(TOKENS, "Tokens the provider reported", "model", model, "user", user, "direction", "input")
			.increment(usage.inputTokens());
		counter(TOKENS, "Tokens the provider reported", "model", model, "user", user, "direction", "output")
			.increment(usage.outputTokens());
	}

	@Override
	public void audio(String userId, String model, boolean input, double seconds) {
		counter(AUDIO_SECONDS, "Seconds of audio relayed", "model", model, "user", userTag(userId), "direction",
				input ? "in" : "out")
			.increment(seconds);
	}

	@Override
	public void audioDropped(int deltas) {
		this.dropped.increment(deltas);
	}

	@Override
	public void refused(String code) {
		counter(EVENTS_REFUSED, "Browser events the relay refused, by code", "code", code).increment();
	}

	@Override
	public void toolCall(String tool, String outcome) {
		counter(TOOL_CALLS, "Tool calls answered on the server", "tool", tool, "outcome", outcome).increment();
	}

	String userTag(String userId) {
		synchronized (this.taggedUsers) {
			if (this.taggedUsers.contains(userId)) {
				return userId;
			}
			if (this.taggedUsers.size() < this.maxUsers) {
				this.taggedUsers.add(userId);
				return userId;
			}
		}
		return OTHER_USER;
	}

	private Counter counter(String name, String description, String... tagPairs) {
		String key = name + '\u0000' + String.join("\u0000", tagPairs);
		return this.counters.computeIfAbsent(key,
				(ignored) -> Counter.builder(name)
					.description(description)
					.tags(this.tags)
					.tags(tagPairs)
					.register(this.registry));
	}

}
