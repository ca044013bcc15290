package dev.wsinfra.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WsTestClient} against a real server, through the {@link WsTestClients}
 * bean that the kit registers.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class WsTestClientIntegrationTests {

	@Autowired
	private WsTestClients clients;

	@Test // #12
	void headersQueryAndBearerTokenReachTheServer() {
		WsTestClient client = this.clients.to("/echo").query("room", "a b&c").bearer("jwt-1").open();
		assertThat(client.nextText()).endsWith(" query=room=a+b%26c authorization=Bearer jwt-1 protocols=");
	}

	@Test // #12
	void bearerSubprotocolOffersTheTokenAndTheServerChoosesBearer() {
		WsTestClient client = this.clients.to("/echo").bearerSubprotocol("jwt-2").open();
		assertThat(client.nextText()).endsWith("protocols=bearer, jwt-2");
		assertThat(client.subprotocol()).isEqualTo("bearer");
	}

	@Test // #12
	void sendsAndReceivesTextBinaryAndJson() {
		WsTestClient client = this.clients.open("/echo");
		client.nextText();
		client.send("plain");
		assertThat(client.nextText()).isEqualTo("plain");
		client.send(new byte[] { 1, 2, 3 });
		assertThat(client.nextBinary()).isEqualTo(ByteBuffer.wrap(new byte[] { 1, 2, 3 }));
		client.sendJson(Map.of("type", "greeting"));
		assertThat(client.nextJson().path("type").asString()).isEqualTo("greeting");
		client.sendPart("fragm", false);
		client.sendPart("ented", true);
		assertThat(client.nextText()).isEqualTo("fragmented");
	}

	@Test // #12
	void pingReturnsThePongPayload() {
		WsTestClient client = this.clients.open("/echo");
		ByteBuffer pong = client.ping(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8)));
		assertThat(StandardCharsets.UTF_8.decode(pong).toString()).isEqualTo("p1");
	}

	@Test // #12
	void nextTextNowTakesOnlyWhatAlreadyArrived() {
		WsTestClient client = this.clients.open("/echo");
		client.nextText();
		assertThat(client.nextTextNow()).isEmpty();
		client.send("now");
		await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> client.nextTextNow().isPresent());
		assertThat(client.assertNothingBeforeReplyTo("marker", "marker"::equals)).isEqualTo("marker");
	}

	@Test // #12
	void awaitTextSkipsToTheFirstMatch() {
		WsTestClient client = this.clients.open("/echo");
		client.send("repeat:5:m");
		assertThat(client.awaitText((text) -> text.equals("m3"))).isEqualTo("m3");
		assertThat(client.nextText()).isEqualTo("m4");
	}

	@Test // #12
	void awaitJsonReturnsTheFirstMatchingDocument() {
		WsTestClient client = this.clients.open("/echo");
		client.sendJson(Map.of("type", "other"));
		client.sendJson(Map.of("type", "wanted", "n", 7));
		assertThat(client.awaitJson((json) -> "wanted".equals(json.path("type").asString())).path("n").asInt())
			.isEqualTo(7);
	}

	@Test // #12
	void awaitTextFailsListingWhatArrived() {
		WsTestClient client = this.clients.to("/echo").timeout(Duration.ofMillis(500)).open();
		client.send("repeat:2:x");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.awaitText("y"::equals))
			.withMessageContaining("No matching text message within PT0.5S")
			.withMessageContaining("text \"x0\", text \"x1\"");
	}

	@Test // #12
	void assertNothingBeforePassesWhenTheMarkerComesNext() {
		WsTestClient client = this.clients.open("/echo");
		client.nextText();
		assertThat(client.assertNothingBeforeReplyTo("marker", "marker"::equals)).isEqualTo("marker");
	}

	@Test // #12
	void assertNothingBeforeFailsNamingWhatCameBeforeTheMarker() {
		WsTestClient client = this.clients.open("/echo");
		client.nextText();
		client.send("repeat:1:unexpected");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> client.assertNothingBeforeReplyTo("marker", "marker"::equals))
			.withMessageContaining("Expected nothing before the marker but received [text \"unexpected0\"");
	}

	@Test // #12
	void awaitCloseReturnsTheServersCodeAndReason() {
		WsTestClient client = this.clients.open("/echo");
		client.send("close:4001");
		WsTestClient.Close close = client.awaitClose();
		assertThat(close.code()).isEqualTo(4001);
		assertThat(close.reason()).isEqualTo("asked to");
		assertThat(client.isClosed()).isTrue();
		assertThat(client.closeNow()).contains(close);
	}

	@Test // #12
	void waitsEndAtOnceAfterTheServerClosed() {
		WsTestClient client = this.clients.open("/echo");
		client.nextText();
		client.send("close:4002");
		long start = System.nanoTime();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(client::nextText)
			.withMessageContaining("Closed while waiting for a text message: close 4002");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(client::nextText);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WsTestClient.DEFAULT_TIMEOUT);
	}

	@Test // #12
	void closeAndWaitReturnsTheServersAnswer() {
		WsTestClient client = this.clients.open("/echo");
		assertThat(client.closeAndWait().code()).isEqualTo(1000);
	}

	@Test // #12
	void refusedHandshakeGivesTheHttpStatus() {
		assertThat(this.clients.to("/echo").header("X-Refuse", "yes").openRefused().statusCode()).isEqualTo(403);
	}

	@Test // #12
	void openRefusedFailsWhenTheHandshakeIsAccepted() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.clients.to("/echo").openRefused())
			.withMessageContaining("was accepted");
	}

	@Test // #12
	void aStalledClientFillsTheServersOutboundBuffers() {
		WsTestClient stalled = this.clients.to("/echo").stalled().open();
		stalled.send("flood");
		WsTestClient reading = this.clients.open("/echo");
		reading.send("flood");
		await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> EchoApplication.floods.size() == 2);
		assertThat(EchoApplication.floods.values())
			.extracting((outcome) -> outcome.get(WsTestClient.DEFAULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
			.containsExactlyInAnyOrder("stuck", "sent");
	}

	@Test // #12
	void aStalledClientReadsWhatItRequests() {
		WsTestClient client = this.clients.to("/echo").stalled().open();
		client.send("repeat:2:r");
		client.request(2);
		assertThat(client.nextText()).startsWith("hello");
		assertThat(client.nextText()).isEqualTo("r0");
	}

	@Test // #12
	void closingTheFactoryClosesItsClients() {
		WsTestClient first = this.clients.open("/echo");
		WsTestClient second = this.clients.open("/echo");
		String firstId = sessionId(first);
		String secondId = sessionId(second);
		this.clients.close();
		await().atMost(WsTestClient.DEFAULT_TIMEOUT)
			.until(() -> !EchoApplication.open.contains(firstId) && !EchoApplication.open.contains(secondId));
	}

	static String sessionId(WsTestClient client) {
		return client.nextText().split(" ")[1].substring("id=".length());
	}

}
