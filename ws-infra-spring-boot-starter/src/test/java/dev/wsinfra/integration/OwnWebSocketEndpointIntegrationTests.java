package dev.wsinfra.integration;

import java.net.URI;
import java.nio.ByteBuffer;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with a WebSocket handler of its own beside ws-infra's endpoints: its
 * handler gets whole messages up to Tomcat's usual 8 KiB, as without ws-infra, while
 * ws-infra's endpoints keep small container buffers and assemble large messages
 * themselves.
 */
@SpringBootTest(classes = { TestApplication.class, OwnWebSocketEndpointIntegrationTests.OwnEndpoint.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ws.auth.jwt.secret=" + TestTokens.SECRET)
class OwnWebSocketEndpointIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.port + path);
	}

	@Test
	void applicationHandlerGetsWholeMessagesOfTomcatsUsualSize() throws Exception {
		// #4
		try (WsTestClient client = WsTestClient.open(uri("/own/echo"))) {
			assertThat(client.nextText()).isEqualTo("text buffer 8192");
			String text = "x".repeat(2048);
			client.send(text);
			assertThat(client.nextText()).isEqualTo(text);
		}
	}

	@Test
	void wsInfraEndpointAssemblesLargeMessagesWithinSmallBuffers() throws Exception {
		// #4
		try (WsTestClient client = WsTestClient.open(uri("/public/echo"))) {
			JsonNode hello = this.json.readTree(client.nextText());
			assertThat(hello.path("textBufferSize").asInt()).isEqualTo(1024);
			assertThat(hello.path("binaryBufferSize").asInt()).isEqualTo(1024);
			String text = "y".repeat(64 * 1024);
			client.send(text);
			assertThat(client.nextText()).isEqualTo(text);
			byte[] bytes = new byte[64 * 1024];
			bytes[bytes.length - 1] = 7;
			client.send(ByteBuffer.wrap(bytes));
			assertThat(client.nextBinary()).isEqualTo(ByteBuffer.wrap(bytes));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class OwnEndpoint implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new EchoHandler(), "/own/echo");
		}

	}

	/** A plain Spring handler that takes whole messages, as most do. */
	static class EchoHandler extends TextWebSocketHandler {

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			session.sendMessage(new TextMessage("text buffer " + session.getTextMessageSizeLimit()));
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(message);
		}

	}

}
