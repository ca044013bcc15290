package dev.wsinfra.redis;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a connection state recovery for one stream. The client receives the same
 * facts as a {@code {"type":"recovery"}} frame after the replayed messages.
 *
 * @param stream the stream, or {@code null} when the token presented was malformed
 * @param recovered {@code true} when everything after the position was replayed, in
 * order, without gap; {@code false} when nothing was replayed because the stream no
 * longer holds the position, its epoch changed, too much followed it, the connection may
 * not read the stream, or Redis could not be reached
 * @param replayed how many messages were replayed
 * @param position the position the client now stands at, or {@code null} when not
 * recovered
 * @since 0.1.0
 */
public record RecoveryResult(@Nullable String stream, boolean recovered, int replayed,
		@Nullable StreamPosition position) {

}
