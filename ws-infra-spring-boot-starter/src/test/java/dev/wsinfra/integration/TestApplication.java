package dev.wsinfra.integration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.endpoint.WsConnectionEvent;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.security.WsApiKeyAuthenticator;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.security.WsPrincipal;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * An application with the starter: one endpoint per policy, scoped endpoints of the
 * policies that authenticate, endpoints declared with {@code @WsEndpoint} on a class and
 * on a bean method, an app-managed endpoint, an unmanaged endpoint whose handler writes
 * itself, an API key authenticator, a plain REST controller, and a recorder of connection
 * events.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {

	static final String API_KEY = "test-api-key-7f3a";

	static final String ADMIN_API_KEY = "test-admin-key-51c2";

	@Bean
	ProbeHandler probeHandler(ConnectionManager manager) {
		return new ProbeHandler(manager);
	}

	@Bean
	WsRoutes publicRoutes(ProbeHandler probe) {
		return WsRoutes.publicRoutes("/public").route("/echo", probe).route("/rooms/{room}", probe).build();
	}

	@Bean
	WsRoutes protectedRoutes(ProbeHandler probe) {
		return WsRoutes.protectedRoutes("/protected").route("/echo", probe).build();
	}

	@Bean
	WsRoutes userRoutes(ProbeHandler probe) {
		return WsRoutes.userRoutes("/user").route("/echo", probe).build();
	}

	@Bean
	WsRoutes scopeRoutes(ProbeHandler probe) {
		return WsRoutes.scopesRoutes("/admin", "admin:read", "admin:write").route("/echo", probe).build();
	}

	@Bean
	WsRoutes anyScopeRoutes(ProbeHandler probe) {
		return WsRoutes.anyScopeRoutes("/reports", "reports:read", "admin:read").route("/echo", probe).build();
	}

	@Bean
	WsRoutes optionalRoutes(ProbeHandler probe) {
		return WsRoutes.optionalRoutes("/optional").route("/echo", probe).build();
	}

	@Bean
	@WsEndpoint(path = "/scoped/protected", auth = WsAuth.PROTECTED, scopes = "admin")
	WebSocketHandler scopedProtected(ConnectionManager manager) {
		return new WebSocketHandlerDecorator(new ProbeHandler(manager));
	}

	@Bean
	WsRoutes scopedUserRoutes(ProbeHandler probe) {
		return WsRoutes.userRoutes("/scoped").scopes("admin").route("/user", probe).build();
	}

	@Bean
	WsRoutes scopedOptionalRoutes(ProbeHandler probe) {
		return WsRoutes.optionalRoutes("/scoped").scopes("admin").route("/optional", probe).build();
	}

	@Bean
	@WsEndpoint(path = "/annotated/method", auth = dev.wsinfra.security.WsAuth.USER)
	WebSocketHandler annotatedMethod(ConnectionManager manager) {
		return new ProbeHandler(manager);
	}

	@Bean
	AnnotatedHandler annotatedHandler(ConnectionManager manager) {
		return new AnnotatedHandler(manager);
	}

	@Bean
	AppManagedHandler appManagedHandler(ConnectionManager manager) {
		return new AppManagedHandler(manager);
	}

	@Bean
	DirectWritingHandler directWritingHandler() {
		return new DirectWritingHandler();
	}

	@Bean
	PartialEchoHandler partialEchoHandler(ConnectionManager manager) {
		return new PartialEchoHandler(manager);
	}

	@Bean
	RequestsHandler requestsHandler(ConnectionManager manager) {
		return new RequestsHandler(manager);
	}

	@Bean
	WsApiKeyAuthenticator apiKeys() {
		return (key) -> switch (key) {
			case API_KEY -> Optional.of(service("service-1", "service"));
			case ADMIN_API_KEY -> Optional.of(service("service-admin", "admin"));
			default -> Optional.empty();
		};
	}

	private static WsPrincipal service(String id, String scope) {
		return new WsPrincipal(id, null, Set.of(scope), Map.of("kind", "api-key"));
	}

	@Bean
	EventRecorder eventRecorder() {
		return new EventRecorder();
	}

	@WsEndpoint("/annotated/class")
	static class AnnotatedHandler extends WebSocketHandlerDecorator {

		AnnotatedHandler(ConnectionManager manager) {
			super(new ProbeHandler(manager));
		}

	}

	/** The seed's style: the handler registers the session with the manager itself. */
	@WsEndpoint(path = "/app-managed", auth = dev.wsinfra.security.WsAuth.USER, managed = false)
	static class AppManagedHandler extends TextWebSocketHandler {

		private final ConnectionManager manager;

		AppManagedHandler(ConnectionManager manager) {
			this.manager = manager;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			String user = WsPrincipal.of(session).id();
			this.manager.connect("app:" + user, session);
			this.manager.send(session, "managed by the application as app:" + user);
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			this.manager.send(session, message.getPayload());
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.manager.disconnect("app:" + WsPrincipal.of(session).id(), session, status);
		}

	}

	/**
	 * A managed endpoint whose handler takes partial messages: it echoes each part as
	 * {@code part:<payload>}.
	 */
	@WsEndpoint(path = "/partial/echo", auth = WsAuth.USER)
	static class PartialEchoHandler extends AbstractWebSocketHandler {

		private final ConnectionManager manager;

		PartialEchoHandler(ConnectionManager manager) {
			this.manager = manager;
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			this.manager.send(session, "part:" + message.getPayload());
		}

		@Override
		public boolean supportsPartialMessages() {
			return true;
		}

	}

	/**
	 * An unmanaged endpoint whose handler writes to its session itself, from its own
	 * thread too: "flood:N" starts a thread that sends N messages, JSON is parsed (so
	 * that a malformed one makes the library answer with an error).
	 */
	@WsEndpoint(path = "/unmanaged", auth = WsAuth.OPTIONAL, managed = false)
	static class DirectWritingHandler extends TextWebSocketHandler {

		private static final String PADDING = "-".repeat(512);

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		private final JsonMapper jsonMapper = JsonMapper.builder().build();

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			String user = WsPrincipal.find(session).map(WsPrincipal::id).orElse("anonymous");
			session.sendMessage(new TextMessage("hello " + user + " as " + session.getPrincipal()));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			String payload = message.getPayload();
			if (payload.startsWith("flood:")) {
				int count = Integer.parseInt(payload.substring("flood:".length()));
				Thread flood = new Thread(() -> {
					try {
						for (int i = 0; i < count; i++) {
							session.sendMessage(new TextMessage("flood " + i + " " + PADDING));
						}
					}
					catch (Exception ex) {
						this.failures.add(ex);
					}
				}, "flood-" + session.getId());
				flood.start();
				return;
			}
			this.jsonMapper.readTree(payload);
		}

	}

	/** Registered as a nested component of this configuration. */
	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

	/**
	 * Keeps the connection events of one user at a time, so that a test waits for its own
	 * events however many the other test classes sharing the context publish.
	 */
	static class EventRecorder {

		private volatile String user = "";

		private final List<WsConnectionEvent> events = new CopyOnWriteArrayList<>();

		void record(String user) {
			this.events.clear();
			this.user = user;
		}

		List<WsConnectionEvent> events() {
			return List.copyOf(this.events);
		}

		@EventListener
		void connectionEvent(WsConnectionEvent event) {
			if (event.getUserId().equals(this.user)) {
				this.events.add(event);
			}
		}

	}

}
