package dev.wsinfra.integration;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import dev.wsinfra.endpoint.WsConnectionMetadata;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.server.ConnectionInfo;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A managed endpoint whose handler implements {@link WsConnectionMetadata} registers its
 * sessions with the metadata the handler contributes, declared with {@code @WsEndpoint}
 * or with {@link WsRoutes}, and the handler can refuse a connection with 1008.
 */
@SpringBootTest(classes = ConnectionMetadataIntegrationTests.Application.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectionMetadataIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	@Autowired
	private RoomHandler annotated;

	private URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.port + path);
	}

	@ParameterizedTest // #12
	@CsvSource({ "/annotated/lobby, /annotated/{room}", "/routes/lobby, /routes/{room}" })
	void sessionIsRegisteredWithTheHandlersMetadata(String path, String endpoint) throws Exception {
		try (WsTestClient client = WsTestClient.open(uri(path))) {
			String[] registered = client.nextText().split(" ");
			List<ConnectionInfo> connections = this.manager.getUserConnections(registered[0]);
			assertThat(connections).singleElement().satisfies((connection) -> {
				assertThat(connection.connectionId()).isEqualTo(registered[1]);
				assertThat(connection.metadata())
					.containsExactlyInAnyOrderEntriesOf(Map.of("room", "lobby", "endpoint", endpoint));
			});
		}
	}

	@Test // #12
	void handlerRefusesTheConnectionWith1008BeforeItIsRegistered() throws Exception {
		// The other tests' connections are deregistered a moment after their clients
		// close.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.manager.connectionCount() == 0);
		int opened = this.annotated.opened.get();
		try (WsTestClient client = WsTestClient.open(uri("/annotated/no%20spaces"))) {
			assertThat(client.awaitClose().code()).isEqualTo(1008);
		}
		assertThat(this.annotated.opened.get()).isEqualTo(opened);
		assertThat(this.manager.connectionCount()).isZero();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		@WsEndpoint("/annotated/{room}")
		RoomHandler annotated(ConnectionManager manager) {
			return new RoomHandler(manager);
		}

		@Bean
		WsRoutes routes(ConnectionManager manager) {
			return WsRoutes.publicRoutes("/routes").route("/{room}", new RoomHandler(manager)).build();
		}

	}

	/**
	 * Registers each session in its room, named by a path variable, and tells the client
	 * the user and connection ids it was registered under.
	 */
	static class RoomHandler extends TextWebSocketHandler implements WsConnectionMetadata {

		private static final Pattern ROOM = Pattern.compile("[a-z]+");

		private final ConnectionManager manager;

		final AtomicInteger opened = new AtomicInteger();

		RoomHandler(ConnectionManager manager) {
			this.manager = manager;
		}

		@Override
		public Map<String, Object> metadata(WebSocketSession session) {
			String room = String.valueOf(session.getAttributes().get("room"));
			if (!ROOM.matcher(room).matches()) {
				throw new IllegalArgumentException("invalid room " + room);
			}
			// The library's own entry wins over a contributed one.
			return Map.of("room", room, "endpoint", "contributed");
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			this.opened.incrementAndGet();
			this.manager.send(session, session.getAttributes().get(WsEndpoint.USER_ID_ATTRIBUTE) + " "
					+ session.getAttributes().get(WsEndpoint.CONNECTION_ID_ATTRIBUTE));
		}

	}

}
