package dev.wsinfra.samples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EchoIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void echoSendsTheTextBack() throws Exception {
		CompletableFuture<String> reply = new CompletableFuture<>();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/ws/echo"), new WebSocket.Listener() {
				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					reply.complete(data.toString());
					return null;
				}
			})
			.get(10, TimeUnit.SECONDS);
		socket.sendText("ping", true).get(10, TimeUnit.SECONDS);
		assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
		socket.abort();
	}

}
