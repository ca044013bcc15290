package dev.wsinfra.client;

import java.net.URI;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.config.WebSocketConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the client decides before any network traffic.
 */
class WebSocketClientTests {

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder().pingInterval(null).build();

	private WebSocketClient client() {
		return WebSocketClient.builder("ws://127.0.0.1:9/ws?token=secret").config(CONFIG).build();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://example.com/ws", "example.com/ws", "ftp://example.com" })
	void onlyWebSocketUrlsAreAccepted(String url) {
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketClient.builder(url))
			.withMessageStartingWith("WebSocket URL must use ws or wss");
	}

	@Test
	void aUrlMustNameAHost() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketClient.builder(URI.create("ws:/path")))
			.withMessage("WebSocket URL must name a host");
		assertThatIllegalArgumentException().isThrownBy(() -> WebSocketClient.builder("ws://exa mple.com"))
			.withMessageStartingWith("Invalid WebSocket URL");
	}

	@Test
	void headersCannotCarryLineBreaksOrBadNames() {
		WebSocketClient.Builder builder = WebSocketClient.builder("wss://example.com/ws");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.header("X-Evil", "a\r\nHost: other"))
			.withMessage("Value of header X-Evil must not contain a line break");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.header("Bad Name", "x"))
			.withMessage("Invalid header name 'Bad Name'");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.subprotocols("ok", "not ok"))
			.withMessage("Invalid subprotocol 'not ok'");
	}

	@Test
	void propertiesBeforeConnecting() {
		WebSocketClient client = client();
		assertThat(client.url()).isEqualTo(URI.create("ws://127.0.0.1:9/ws?token=secret"));
		assertThat(client.config()).isSameAs(CONFIG);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(client.isConnected()).isFalse();
		assertThat(client.latency()).isEmpty();
		assertThat(client.subprotocol()).isEmpty();
		assertThat(client.queueSize()).isZero();
		assertThat(client).hasToString("WebSocketClient[ws://127.0.0.1:9/ws, DISCONNECTED]");
	}

	@Test
	void withoutAConfigurationTheEnvironmentIsRead() {
		assertThat(WebSocketClient.builder("ws://127.0.0.1:9/ws").build().config())
			.isEqualTo(WebSocketConfig.fromEnv(System.getenv()));
	}

	@Test
	void sendingOrReadingBeforeConnectingIsAnError() {
		WebSocketClient client = client();
		assertThatIllegalStateException().isThrownBy(() -> client.send("x"))
			.withMessage("Not connected: connect() first");
		assertThatIllegalStateException().isThrownBy(client::recv).withMessage("Not connected: connect() first");
	}

	@Test
	void closingBeforeConnectingEndsTheClient() {
		WebSocketClient client = client();
		client.close();
		assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> client.send("x"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(1000));
		assertThatIllegalStateException().isThrownBy(client::connect)
			.withMessage("connect() may be called once; build a new client to connect again");
	}

	@ParameterizedTest
	@ValueSource(ints = { 999, 1004, 1005, 1006, 1012, 1015, 2000, 2999, 5000 })
	void codesThatMayNotBeSentAreRefused(int code) {
		assertThatIllegalArgumentException().isThrownBy(() -> client().close(code, ""))
			.withMessage("Close code " + code + " may not be sent");
	}

	@Test
	void aCloseReasonIsAtMost123Bytes() {
		assertThatIllegalArgumentException().isThrownBy(() -> client().close(1000, "é".repeat(62)))
			.withMessage("Close reason must be at most 123 bytes in UTF-8");
		client().close(1000, "é".repeat(61));
	}

}
