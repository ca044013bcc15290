package dev.wsinfra.autoconfigure.endpoint;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties of the requests clients send to ws-infra's endpoints
 * ({@code {"type":"ws.request"}}), bound from {@code ws.requests.*}.
 *
 * @param timeout Longest time the server waits for a reply that a request handler
 * returned as a CompletionStage before it answers with a "timeout" error. If a duration
 * suffix is not specified, seconds will be used.
 * @param maxPending Maximum number of requests of one connection awaiting their reply;
 * further ones are answered with a "too_many_requests" error.
 * @param presenceRooms Rooms whose members may read the room's member list with the
 * "ws.presence" request, by exact name or by prefix ending in '*'; empty for none.
 * @since 0.1.0
 */
@ConfigurationProperties("ws.requests")
public record WsRequestProperties(@DefaultValue("30s") @DurationUnit(ChronoUnit.SECONDS) Duration timeout,
		@DefaultValue("64") int maxPending, @DefaultValue List<String> presenceRooms) {

	public WsRequestProperties {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("ws.requests.timeout must be a positive duration, was " + timeout);
		}
		if (maxPending < 1) {
			throw new IllegalArgumentException("ws.requests.max-pending must be greater than 0, was " + maxPending);
		}
		presenceRooms = List.copyOf(presenceRooms);
	}

	/**
	 * Returns whether a room's member list may be read by its members.
	 * @param room the room
	 * @return whether one of {@link #presenceRooms()} matches it
	 */
	public boolean presenceReadable(String room) {
		for (String pattern : this.presenceRooms) {
			boolean matches = pattern.endsWith("*") ? room.startsWith(pattern.substring(0, pattern.length() - 1))
					: room.equals(pattern);
			if (matches) {
				return true;
			}
		}
		return false;
	}

}
