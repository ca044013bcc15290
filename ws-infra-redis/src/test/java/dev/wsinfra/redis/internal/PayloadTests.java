package dev.wsinfra.redis.internal;

import java.nio.ByteBuffer;
import java.util.Map;

import dev.wsinfra.WebSocketMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PayloadTests {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	@Test
	void messagesEncodeAsTheConnectionManagerDocuments() {
		assertThat(Payload.of("text", this.jsonMapper).text()).isEqualTo("text");
		assertThat(Payload.of(new TextMessage("spring"), this.jsonMapper).text()).isEqualTo("spring");
		assertThat(Payload.of(WebSocketMessage.text("ours"), this.jsonMapper).text()).isEqualTo("ours");
		assertThat(Payload.of(Map.of("a", 1), this.jsonMapper).text()).isEqualTo("{\"a\":1}");
		assertThat(Payload.of(new byte[] { 1 }, this.jsonMapper).binary()).containsExactly(1);
		assertThat(Payload.of(ByteBuffer.wrap(new byte[] { 9, 2, 3 }, 1, 2), this.jsonMapper).binary())
			.containsExactly(2, 3);
		assertThat(Payload.of(new BinaryMessage(new byte[] { 4 }), this.jsonMapper).binary()).containsExactly(4);
		assertThat(Payload.of(WebSocketMessage.binary(new byte[] { 5 }), this.jsonMapper).binary()).containsExactly(5);
	}

	@Test
	void bytesAreCopiedSoLaterChangesDoNotLeak() {
		byte[] bytes = { 1, 2 };
		Payload payload = Payload.of(bytes, this.jsonMapper);
		bytes[0] = 9;

		assertThat(payload.binary()).containsExactly(1, 2);
		assertThat(payload.toLocalMessage()).isInstanceOf(ByteBuffer.class);
	}

	@Test
	void controlFramesCannotCrossInstances() {
		assertThatIllegalArgumentException().isThrownBy(() -> Payload.of(new PingMessage(), this.jsonMapper))
			.withMessageContaining("control frame");
	}

	@Test
	void streamDataIsAlwaysJson() {
		assertThat(Payload.toStreamData("hi", this.jsonMapper)).isEqualTo("\"hi\"");
		assertThat(Payload.toStreamData(new TextMessage("t"), this.jsonMapper)).isEqualTo("\"t\"");
		assertThat(Payload.toStreamData(Map.of("n", 1), this.jsonMapper)).isEqualTo("{\"n\":1}");
		assertThatIllegalArgumentException().isThrownBy(() -> Payload.toStreamData(new byte[1], this.jsonMapper))
			.withMessageContaining("cannot be stored in a stream");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Payload.toStreamData(WebSocketMessage.binary(new byte[1]), this.jsonMapper));
	}

	@Test
	void objectsThatDoNotSerializeAreRejectedWithTheirType() {
		assertThatIllegalArgumentException().isThrownBy(() -> Payload.of(new Exploding(), this.jsonMapper))
			.withMessageContaining(Exploding.class.getName());
	}

	static final class Exploding {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

}
