package dev.wsinfra.autoconfigure.endpoint;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRequest;
import dev.wsinfra.endpoint.WsRequestException;
import dev.wsinfra.security.WsPrincipal;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.WebSocketSession;

/**
 * A request of a session of a declared endpoint.
 */
final class EndpointRequest implements WsRequest {

	private final String id;

	private final String method;

	private final JsonNode data;

	private final SessionState state;

	private final JsonMapper jsonMapper;

	EndpointRequest(String id, String method, JsonNode data, SessionState state, JsonMapper jsonMapper) {
		this.id = id;
		this.method = method;
		this.data = data;
		this.state = state;
		this.jsonMapper = jsonMapper;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public JsonNode data() {
		return this.data;
	}

	@Override
	public <T> T data(Class<T> type) {
		try {
			T value = this.jsonMapper.treeToValue(this.data, type);
			if (value == null) {
				throw new WsRequestException("invalid_request", "The request has no data");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new WsRequestException("invalid_request", "Invalid data: " + ex.getOriginalMessage());
		}
	}

	@Override
	public WebSocketSession session() {
		return this.state.session;
	}

	@Override
	public @Nullable String userId() {
		if (this.state.session.getAttributes().get(WsEndpoint.USER_ID_ATTRIBUTE) instanceof String user) {
			return user;
		}
		WsPrincipal principal = this.state.principal;
		return (principal != null) ? principal.id() : null;
	}

}
