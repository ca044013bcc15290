package dev.wsinfra.endpoint;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.web.socket.WebSocketSession;

/**
 * One request a client sent, as a {@link WsRequestHandler} gets it: its id, which the
 * reply carries back, its method, its data and the session it came from.
 *
 * @since 0.1.0
 */
public interface WsRequest {

	/**
	 * Returns the request id the client chose, 1 to 128 characters.
	 * @return the id
	 */
	String id();

	/**
	 * Returns the method the client asked for, 1 to 128 characters.
	 * @return the method
	 */
	String method();

	/**
	 * Returns the request's data, a JSON {@code null} when the client sent none.
	 * @return the data
	 */
	JsonNode data();

	/**
	 * Returns the request's data read as a type, with the application's mapper.
	 * @param <T> the type
	 * @param type the type
	 * @return the data
	 * @throws WsRequestException with the code {@code invalid_request} when the data does
	 * not fit the type
	 */
	<T> T data(Class<T> type);

	/**
	 * Returns the session the request came from, the one the endpoint's handler sees.
	 * @return the session
	 */
	WebSocketSession session();

	/**
	 * Returns the user id the session acts as: the one a managed endpoint registered it
	 * under, else the principal's id, else {@code null} for an anonymous session of an
	 * unmanaged endpoint.
	 * @return the user id
	 */
	@Nullable String userId();

	/**
	 * Returns a successful reply to this request.
	 * @param data the reply's data
	 * @return the reply
	 */
	default WsReply reply(@Nullable Object data) {
		return WsReply.success(id(), data);
	}

	/**
	 * Returns an error reply to this request.
	 * @param code the error code
	 * @param message what went wrong, for the client
	 * @return the reply
	 */
	default WsReply error(String code, String message) {
		return WsReply.error(id(), code, message);
	}

}
