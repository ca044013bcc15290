package dev.wsinfra.samples.echo;

import java.nio.ByteBuffer;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.samples.testsupport.SampleClients;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EchoIntegrationTests extends SampleAppTests {

	@Test
	void echoesTextAndBinaryToTheSenderWithoutCredentials() {
		WsTestClient client = this.clients.connectAnonymously("/ws/echo");
		client.send("ping");
		assertThat(client.nextText()).isEqualTo("ping");
		client.send(new byte[] { 1, 2, 3 });
		assertThat(client.nextBinary()).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		client.send("{not json, and that is fine here");
		assertThat(client.nextText()).isEqualTo("{not json, and that is fine here");
	}

	@Test
	void aMessageOverTheLimitClosesWith1009AndTheServerGoesOn() {
		WsTestClient client = this.clients.connectAnonymously("/ws/echo");
		client.send("x".repeat(1024 * 1024 + 1));
		SampleClients.assertClosedWith(client, 1009);
		WsTestClient next = this.clients.connectAnonymously("/ws/echo");
		next.send("still here");
		assertThat(next.nextText()).isEqualTo("still here");
	}

	@Test
	void aMessageInManyFramesComesBackWhole() {
		WsTestClient client = this.clients.connectAnonymously("/ws/echo");
		String part = "y".repeat(5000);
		client.sendPart(part, false);
		client.sendPart(part, false);
		client.sendPart("end", true);
		assertThat(client.nextText()).isEqualTo(part + part + "end");
		client.send(new byte[0]);
	}

}
