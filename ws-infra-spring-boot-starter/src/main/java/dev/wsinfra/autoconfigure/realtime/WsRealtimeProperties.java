package dev.wsinfra.autoconfigure.realtime;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.wsinfra.realtime.RealtimeClientPolicy;
import dev.wsinfra.security.WsAuth;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the realtime relay, bound from {@code ws.realtime.*} (env
 * {@code WS_REALTIME_*}).
 *
 * @param enabled Whether to serve the realtime relay endpoint.
 * @param path Path of the relay endpoint.
 * @param auth Authentication policy of the relay endpoint.
 * @param scopes Scopes a principal needs to open a relay session.
 * @param provider Provider to relay to, "openai" or "gemini"; an application's own
 * RealtimeProvider bean replaces it.
 * @param url WebSocket URL that replaces the provider's endpoint, such as a proxy or a
 * local stand-in; the provider still adds the model or the key. Placeholders are resolved
 * when a session opens, so "${local.server.port}" reaches the application's own server.
 * @param apiKey Provider key; when not set, OPENAI_API_KEY for "openai" and
 * GEMINI_API_KEY (or GOOGLE_API_KEY) for "gemini". Never sent to the browser or logged.
 * @param model Model of every session; the provider's default when not set.
 * @param voice Voice of every session; the provider's default when not set.
 * @param instructions System instructions of every session.
 * @param allowedClientEvents Event types the browser may send; the provider's default
 * list when empty.
 * @param allowedClientFields Paths of the session settings the browser may change, such
 * as "audio.input.turn_detection"; the provider's default list when empty.
 * @param restrictedFields What happens to a browser event that sets any other session
 * setting: refused with an error event, or forwarded without those fields.
 * @param maxSessionsPerUser Maximum number of relay sessions one user may hold, 0 for
 * unlimited; further ones are closed with 4008.
 * @param maxSessionsPerInstance Maximum number of relay sessions on this instance, 0 for
 * unlimited; further ones are closed with 1013.
 * @param idleTimeout Time without a message either way after which a session is closed
 * with 4010, 0 for none. If a duration suffix is not specified, seconds will be used.
 * @param maxDuration Longest a session may last before it is closed with 4011, 0 for no
 * limit. If a duration suffix is not specified, seconds will be used.
 * @param providerTimeout Time the provider may take to answer a request, such as a
 * response, and to answer keepalive pings, before the session is closed with 1014 as
 * stalled. If a duration suffix is not specified, seconds will be used.
 * @param providerQueueSize Maximum number of the browser's events waiting to be written
 * to the provider; beyond it the provider counts as stalled.
 * @param clientQueueBytes Maximum size of the provider's events waiting to be written to
 * the browser; beyond it the slow-client policy applies.
 * @param slowClientPolicy What happens when the browser reads too slowly: its oldest
 * waiting audio deltas are dropped, or the session is closed with 1013.
 * @param toolTimeout Longest a tool may take to answer a call; the provider then gets an
 * error as the result. If a duration suffix is not specified, seconds will be used.
 * @param metricsMaxUsers Number of distinct users the usage meters tag by name; the
 * others share the tag value "other", which bounds the meters' cardinality.
 * @since 0.1.0
 */
@ConfigurationProperties("ws.realtime")
public record WsRealtimeProperties(@DefaultValue("false") boolean enabled, @DefaultValue("/ws/realtime") String path,
		@DefaultValue("protected") WsAuth auth, @DefaultValue List<String> scopes,
		@DefaultValue("openai") String provider, @Nullable String url, @Nullable String apiKey, @Nullable String model,
		@Nullable String voice, @Nullable String instructions, @DefaultValue List<String> allowedClientEvents,
		@DefaultValue List<String> allowedClientFields,
		@DefaultValue("refuse") RealtimeClientPolicy.RestrictedFields restrictedFields,
		@DefaultValue("1") int maxSessionsPerUser, @DefaultValue("100") int maxSessionsPerInstance,
		@DefaultValue("120s") @DurationUnit(ChronoUnit.SECONDS) Duration idleTimeout,
		@DefaultValue("30m") @DurationUnit(ChronoUnit.SECONDS) Duration maxDuration,
		@DefaultValue("15s") @DurationUnit(ChronoUnit.SECONDS) Duration providerTimeout,
		@DefaultValue("64") int providerQueueSize, @DefaultValue("1MB") DataSize clientQueueBytes,
		@DefaultValue("drop-oldest-audio") SlowClientPolicy slowClientPolicy,
		@DefaultValue("10s") @DurationUnit(ChronoUnit.SECONDS) Duration toolTimeout,
		@DefaultValue("100") int metricsMaxUsers) {

	public WsRealtimeProperties {
		scopes = List.copyOf(scopes);
		allowedClientEvents = List.copyOf(allowedClientEvents);
		allowedClientFields = List.copyOf(allowedClientFields);
		check("ws.realtime.path", path, path.startsWith("/"), "must start with '/'");
		check("ws.realtime.max-sessions-per-user", maxSessionsPerUser, maxSessionsPerUser >= 0, "must be 0 or more");
		check("ws.realtime.max-sessions-per-instance", maxSessionsPerInstance, maxSessionsPerInstance >= 0,
				"must be 0 or more");
		check("ws.realtime.idle-timeout", idleTimeout, !idleTimeout.isNegative(), "must not be negative");
		check("ws.realtime.max-duration", maxDuration, !maxDuration.isNegative(), "must not be negative");
		check("ws.realtime.provider-timeout", providerTimeout,
				!providerTimeout.isNegative() && !providerTimeout.isZero(), "must be a positive duration");
		check("ws.realtime.provider-queue-size", providerQueueSize, providerQueueSize > 0, "must be greater than 0");
		check("ws.realtime.client-queue-bytes", clientQueueBytes, clientQueueBytes.toBytes() > 0,
				"must be at least 1B");
		check("ws.realtime.tool-timeout", toolTimeout, !toolTimeout.isNegative() && !toolTimeout.isZero(),
				"must be a positive duration");
		check("ws.realtime.metrics-max-users", metricsMaxUsers, metricsMaxUsers >= 0, "must be 0 or more");
		if (url != null) {
			// The URL may carry a key in its query: the message shows the scheme only.
			String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')) : "";
			check("ws.realtime.url", "a URL of scheme " + scheme,
					"ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme), "must be a ws:// or wss:// URL");
		}
	}

	private static void check(String key, Object value, boolean valid, String rule) {
		if (!valid) {
			throw new IllegalArgumentException(key + " " + rule + ", was " + value);
		}
	}

	/**
	 * What happens when the browser reads the provider's events too slowly.
	 */
	public enum SlowClientPolicy {

		/**
		 * Drop the oldest audio deltas waiting for the browser to make room; other events
		 * are never dropped, and the session is closed with 1013 when they alone
		 * overflow.
		 */
		DROP_OLDEST_AUDIO,

		/** Close the session with 1013. */
		CLOSE

	}

}
