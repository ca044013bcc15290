package dev.wsinfra.test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RawWebSocket} on both sides: as a client of a real server, and as a
 * server for the kit's client.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RawWebSocketIntegrationTests {

	@LocalServerPort
	private int port;

	@Test // #12
	void aClientHandshakeIsAnsweredAndFramesAreEchoed() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/echo?x=1", Map.of("Authorization", "Bearer t"))) {
			assertThat(raw.status()).isEqualTo(101);
			assertThat(raw.header("upgrade")).isEqualToIgnoringCase("websocket");
			assertThat(raw.readText()).endsWith("query=x=1 authorization=Bearer t protocols=");
			raw.sendText("raw");
			assertThat(raw.readText()).isEqualTo("raw");
		}
	}

	@Test // #12
	void aRefusedHandshakeGivesItsStatus() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/echo", Map.of("X-Refuse", "yes"))) {
			assertThat(raw.status()).isEqualTo(403);
		}
	}

	@Test // #12
	void anUnmaskedClientFrameMakesTheServerCloseWithProtocolError() throws Exception {
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/echo", Map.of())) {
			raw.readText();
			raw.write(RawWebSocket.frame(true, 0x1, "unmasked".getBytes(StandardCharsets.UTF_8)));
			assertThat(raw.readUntil(0x8).closeCode()).isEqualTo(1002);
		}
	}

	@Test // #12
	void theServerSideSpeaksToTheKitsClient() throws Exception {
		CompletableFuture<String> received = new CompletableFuture<>();
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread script = new Thread(() -> {
				try (RawWebSocket connection = RawWebSocket.serverSide(server.accept())) {
					RawWebSocket.Request request = connection.accept();
					connection.sendText("from " + request.line());
					received.complete(connection.readUntil(0x1).text());
					connection.sendClose(4000, "done");
					connection.readUntil(0x8);
				}
				catch (Exception ex) {
					received.completeExceptionally(ex);
				}
			});
			script.setDaemon(true);
			script.start();
			try (WsTestClient client = WsTestClient
				.open(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/x"))) {
				assertThat(client.nextText()).isEqualTo("from GET /x HTTP/1.1");
				client.send("masked");
				assertThat(received.get()).isEqualTo("masked");
				assertThat(client.awaitClose().code()).isEqualTo(4000);
			}
			script.join(WsTestClient.DEFAULT_TIMEOUT.toMillis());
		}
	}

}
