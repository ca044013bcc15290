package dev.wsinfra.client.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeLogFilterTests {

	@Test
	void masksTheQueryAndEveryHeaderValueThatMayHoldACredential() {
		String logged = """
				> Session 1 [27 ms]: Sending handshake request:
				> GET wss://api.test/v1/realtime?model=m&key=k1 HTTP/1.1
				> Authorization: Bearer t1
				> Sec-WebSocket-Protocol: bearer, t2
				> Host: api.test
				> Upgrade: websocket
				< 401
				< Set-Cookie: s=t3
				< Retry-After: 7
				redirected to https://other.test/path?token=t4 at once""";
		String redacted = HandshakeLogFilter.redact(logged);
		assertThat(redacted).doesNotContain("k1", "t1", "t2", "t3", "t4", "model=m")
			.contains("> GET wss://api.test/v1/realtime?***** HTTP/1.1", "> Authorization: *****",
					"> Sec-WebSocket-Protocol: *****", "> Host: api.test", "> Upgrade: websocket", "< 401",
					"< Retry-After: 7", "https://other.test/path?*****");
	}

	@Test
	void leavesOtherLinesAlone() {
		assertThat(HandshakeLogFilter.redact("Redirect enabled: false")).isEqualTo("Redirect enabled: false");
	}

}
