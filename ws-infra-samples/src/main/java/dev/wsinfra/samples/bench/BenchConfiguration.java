package dev.wsinfra.samples.bench;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.security.WsRoomAccess;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.RoomAuthorizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the public bench endpoint, {@code /ws/bench}, when
 * {@code samples.bench.enabled=true} (off by default: it lets anyone make the server
 * send). The library registers each session with the manager as an anonymous user of its
 * own ({@code anonymous:<random id>}), so bench clients never meet
 * {@code ws.max-connections-per-user}, and a token sent to it is ignored.
 * <p>
 * Anonymous users may join only {@code public:} rooms by default; the bench's rooms are
 * {@code bench:} rooms, so the endpoint comes with a {@link RoomAuthorizer} that opens
 * those to anonymous sessions too, and still keeps them out of the rooms of the protected
 * endpoints ({@code chat:}, {@code doc:}, …).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("samples.bench.enabled")
class BenchConfiguration {

	@Bean
	@WsEndpoint("/ws/bench")
	BenchHandler benchHandler(ConnectionManager manager, JsonMapper jsonMapper,
			@Value("${samples.bench.flush-every:1}") int flushEvery) {
		return new BenchHandler(manager, jsonMapper, flushEvery);
	}

	@Bean
	RoomAuthorizer benchRoomAuthorizer() {
		return WsRoomAccess.anonymousOnlyIn(WsRoomAccess.PUBLIC_ROOM_PREFIX, BenchHandler.ROOM_PREFIX);
	}

}
