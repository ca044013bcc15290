package dev.wsinfra.redis.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEntryTests {

	@ParameterizedTest
	@CsvSource({ "1-0, 1-0, 0", "1-0, 1-1, -1", "2-0, 1-9, 1", "10-0, 9-0, 1", "1718000000000-12, 1718000000000-2, 1",
			"5, 5-0, 0" })
	void idsCompareNumerically(String a, String b, int expected) {
		assertThat(Integer.signum(StreamEntry.compareIds(a, b))).isEqualTo(expected);
		assertThat(Integer.signum(StreamEntry.compareIds(b, a))).isEqualTo(-expected);
	}

}
