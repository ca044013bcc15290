package dev.wsinfra.samples.echo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.samples.testsupport.SampleClients;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

class EchoIntegrationTests extends SampleAppTests {

	@Test
	void echoesTextAndBinaryToTheSenderWithoutCredentials() {
		WebSocketClient client = this.clients.connectAnonymously("/ws/echo");
		client.send("ping");
		assertThat(client.recv(SampleClients.WAIT).orElseThrow().text()).isEqualTo("ping");
		client.send(new byte[] { 1, 2, 3 });
		assertThat(client.recv(SampleClients.WAIT).orElseThrow().bytes()).containsExactly(1, 2, 3);
		client.send("{not json, and that is fine here");
		assertThat(client.recv(SampleClients.WAIT).orElseThrow().text()).isEqualTo("{not json, and that is fine here");
	}

	@Test
	void aMessageOverTheLimitClosesWith1009AndTheServerGoesOn() {
		WebSocketClient client = this.clients.connectAnonymously("/ws/echo");
		client.send("x".repeat(1024 * 1024 + 1));
		SampleClients.assertClosedWith(client, 1009);
		WebSocketClient next = this.clients.connectAnonymously("/ws/echo");
		next.send("still here");
		assertThat(next.recv(SampleClients.WAIT).orElseThrow().text()).isEqualTo("still here");
	}

	@Test
	void aMessageInManyFramesComesBackWhole() throws Exception {
		CompletableFuture<String> reply = new CompletableFuture<>();
		StringBuilder received = new StringBuilder();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.buildAsync(URI.create(this.clients.ws("/ws/echo")), new WebSocket.Listener() {
				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					received.append(data);
					if (last) {
						reply.complete(received.toString());
					}
					webSocket.request(1);
					return null;
				}
			})
			.get(10, TimeUnit.SECONDS);
		String part = "y".repeat(5000);
		socket.sendText(part, false).get(10, TimeUnit.SECONDS);
		socket.sendText(part, false).get(10, TimeUnit.SECONDS);
		socket.sendText("end", true).get(10, TimeUnit.SECONDS);
		assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(part + part + "end");
		socket.sendBinary(ByteBuffer.allocate(0), true).get(10, TimeUnit.SECONDS);
		socket.abort();
	}

}
