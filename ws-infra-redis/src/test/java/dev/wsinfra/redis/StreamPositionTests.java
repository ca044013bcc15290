package dev.wsinfra.redis;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StreamPositionTests {

	@Test
	void tokenRoundTripsWithStreamsThatContainSeparators() {
		StreamPosition position = new StreamPosition("room:a@b:c", "k3j2", "1718000000000-7");

		assertThat(position.token()).isEqualTo("k3j2:1718000000000-7@room:a@b:c");
		assertThat(StreamPosition.parse(position.token())).isEqualTo(position);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "no-separators", "k3j2:1-0", "k3j2@room:x", "k3j2:1-0@", ":1-0@room", "k3j2:abc@room",
			"k3-j2:1-0@room", "@k3j2:1-0" })
	void malformedTokensAreRejected(String token) {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamPosition.parse(token));
		assertThat(StreamPosition.tryParse(token)).isEmpty();
	}

	@Test
	void badPartsAreNamedInTheMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> StreamPosition.parse("k3j2:12@room"))
			.withMessage("id must be a stream id such as 1718000000000-0, was 12");
		assertThatIllegalArgumentException().isThrownBy(() -> StreamPosition.parse("a-b:1-0@room"))
			.withMessage("epoch must be letters and digits, was a-b");
	}

	@Test
	void tryParseOfNullIsEmpty() {
		assertThat(StreamPosition.tryParse(null)).isEmpty();
	}

	@Test
	void fromQueryReadsEveryPositionParameterDecodedAndInOrder() {
		URI uri = URI
			.create("ws://h/ws?user=a&position=e1%3A1-0%40room%3Alobby&x=1&position=e2:2-0@broadcast&position");

		assertThat(StreamPosition.fromQuery(uri)).containsExactly("e1:1-0@room:lobby", "e2:2-0@broadcast");
	}

	@Test
	void fromQueryWithoutPositionsIsEmpty() {
		assertThat(StreamPosition.fromQuery(URI.create("ws://h/ws?user=a"))).isEmpty();
		assertThat(StreamPosition.fromQuery(URI.create("ws://h/ws"))).isEmpty();
		assertThat(StreamPosition.fromQuery(null)).isEmpty();
	}

}
