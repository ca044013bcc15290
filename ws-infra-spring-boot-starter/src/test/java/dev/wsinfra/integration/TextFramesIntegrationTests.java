package dev.wsinfra.integration;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.wsinfra.test.RawWebSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a managed endpoint writes, read frame by frame: every text message leaves as one
 * frame, although the sessions' container buffers are 1 KiB.
 */
@WsIntegrationTest
class TextFramesIntegrationTests {

	@LocalServerPort
	private int port;

	@ParameterizedTest // #15
	@ValueSource(ints = { 1024, 4096, 16384 })
	void aMessageOfAnySizeLeavesAsOneFrame(int size) throws Exception {
		try (RawWebSocket client = RawWebSocket.connect(this.port, "/public/echo", Map.of())) {
			assertThat(client.status()).isEqualTo(101);
			assertThat(client.readFrame().text()).contains("\"textBufferSize\":1024");
			String text = "é".repeat(size / 2 - 1) + "!!";
			client.sendText(text);
			RawWebSocket.Frame echo = client.readFrame();
			assertThat(echo.fin()).as("the whole message in one frame").isTrue();
			assertThat(echo.opcode()).isEqualTo(0x1);
			assertThat(echo.payload()).hasSize(size).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
		}
	}

}
