package dev.wsinfra.endpoint;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The reply to a request, as clients receive it: {@code {"type":"ws.reply","id":"<request
 * id>","data":<any>}} or {@code {"type":"ws.reply","id":"<request
 * id>","error":{"code":"...","message":"..."}}}. A reply with a {@code null} value has no
 * {@code data}. Send one with {@code manager.send(session, reply)}, or with
 * {@code manager.sendToUser(userId, reply)} from any instance: every connection of the
 * user receives it and the one that sent the request takes it (ws-infra.js ignores
 * replies to other clients' requests).
 *
 * @param type always {@value #TYPE}
 * @param id the id of the request answered
 * @param data the reply's value, or {@code null}
 * @param error the error, or {@code null} for a successful reply
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WsReply(String type, String id, @Nullable Object data, @Nullable Error error) {

	/** The {@code type} of every reply. */
	public static final String TYPE = "ws.reply";

	public WsReply {
		Objects.requireNonNull(id, "id must not be null");
		if (!TYPE.equals(type)) {
			throw new IllegalArgumentException("type must be " + TYPE + ", was " + type);
		}
	}

	/**
	 * Returns a successful reply.
	 * @param requestId the id of the request answered
	 * @param data the value, or {@code null}
	 * @return the reply
	 */
	public static WsReply success(String requestId, @Nullable Object data) {
		return new WsReply(TYPE, requestId, data, null);
	}

	/**
	 * Returns an error reply.
	 * @param requestId the id of the request answered
	 * @param code the error code, such as {@code not_found}
	 * @param message what went wrong, for the client
	 * @return the reply
	 */
	public static WsReply error(String requestId, String code, String message) {
		return new WsReply(TYPE, requestId, null, new Error(code, message));
	}

	/**
	 * What went wrong.
	 *
	 * @param code the error code
	 * @param message what went wrong, for the client
	 */
	public record Error(String code, String message) {

		public Error {
			Objects.requireNonNull(code, "code must not be null");
			Objects.requireNonNull(message, "message must not be null");
		}

	}

}
