package dev.wsinfra.redis.internal;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A decoded pub/sub payload: a message (text or binary), a control command for a user's
 * instances, or a persistent stream entry.
 *
 * @param instance the instance that published it
 * @param excludeUser the user to skip, if any
 * @param payload the message, for plain messages
 * @param control the command ({@code join}, {@code leave} or {@code disconnect}), for
 * control messages
 * @param room the room of a {@code join} or {@code leave}
 * @param status the close status of a {@code disconnect}
 * @param ack the id to acknowledge a {@code join} with, or of the acknowledgement an
 * {@code ack} message carries
 * @param entry the stream entry, for persistent messages
 */
public record Envelope(String instance, @Nullable String excludeUser, @Nullable Payload payload,
		@Nullable String control, @Nullable String room, @Nullable CloseStatus status, @Nullable String ack,
		@Nullable StreamEntry entry) {

	public static final String JOIN = "join";

	public static final String LEAVE = "leave";

	public static final String DISCONNECT = "disconnect";

}
