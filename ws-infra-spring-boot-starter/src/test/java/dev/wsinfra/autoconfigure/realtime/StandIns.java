package dev.wsinfra.autoconfigure.realtime;

import java.net.URI;
import java.util.Map;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The provider stand-ins, served by an application of their own on a random loopback
 * port, as a provider is a server apart from the relay: OpenAI's at {@code /v1/realtime},
 * Gemini's at {@code /ws/gemini}. A handshake whose model is {@code refuse-401} is
 * answered with 401, one whose model is {@code refuse-429} with 429 and
 * {@code Retry-After: 7}. One instance serves every test class of the JVM, started on
 * first use and stopped with the JVM.
 */
final class StandIns {

	static final String RETRY_AFTER = "7";

	final OpenAiStandIn openAi = new OpenAiStandIn();

	final GeminiStandIn gemini = new GeminiStandIn();

	private final ConfigurableApplicationContext context;

	private StandIns() {
		this.context = new SpringApplicationBuilder(Server.class).web(WebApplicationType.SERVLET)
			.initializers((context) -> context.getBeanFactory().registerSingleton("standIns", this))
			.properties(Map.of("server.port", "0", "server.address", "127.0.0.1", "spring.main.banner-mode", "off",
					"spring.jmx.enabled", "false"))
			.run();
	}

	private static final class Shared {

		static final StandIns INSTANCE = new StandIns();

		static {
			Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::stop, "stand-ins-stop"));
		}

	}

	static StandIns shared() {
		return Shared.INSTANCE;
	}

	int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	String openAiUrl() {
		return "ws://127.0.0.1:" + port() + "/v1/realtime";
	}

	String geminiUrl() {
		return "ws://127.0.0.1:" + port() + "/ws/gemini";
	}

	/** Opens a browser's connection to the relay as a user, for a stand-in scenario. */
	static WsTestClient.Builder browser(int port, String user, String scenario) {
		return WsTestClient.to(URI.create("ws://127.0.0.1:" + port + "/ws/realtime?scenario=" + scenario))
			.bearer(TestTokens.user(user).sign());
	}

	private void stop() {
		this.openAi.released.countDown();
		this.context.close();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableWebSocket
	static class Server implements WebSocketConfigurer {

		private final StandIns standIns;

		Server(StandIns standIns) {
			this.standIns = standIns;
		}

		// Audio events are larger than Tomcat's default 8 KiB message buffers.
		@Bean
		ServletServerContainerFactoryBean standInContainer() {
			ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
			container.setMaxTextMessageBufferSize(4 * 1024 * 1024);
			container.setMaxBinaryMessageBufferSize(4 * 1024 * 1024);
			return container;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(this.standIns.openAi, "/v1/realtime").addInterceptors(new Faults());
			registry.addHandler(this.standIns.gemini, "/ws/gemini");
		}

	}

	/** Refuses the handshakes whose model asks for it. */
	static final class Faults implements HandshakeInterceptor {

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
				Map<String, Object> attributes) {
			String query = request.getURI().getRawQuery();
			if (query != null && query.contains("model=refuse-401")) {
				response.setStatusCode(HttpStatus.UNAUTHORIZED);
				return false;
			}
			if (query != null && query.contains("model=refuse-429")) {
				response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
				response.getHeaders().set("Retry-After", RETRY_AFTER);
				return false;
			}
			return true;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
				Exception exception) {
		}

	}

}
