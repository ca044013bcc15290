package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.redis.RecoveryRequest.Item;
import dev.wsinfra.redis.RecoveryRequest.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryRequestTests {

	private static String token(String stream, int n) {
		return "e1:" + n + "-0@" + stream;
	}

	@Test // #5
	void streamsPastTheMaximumAreNotRecovered() {
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			tokens.add(token("s" + i, 1));
		}

		RecoveryRequest request = RecoveryRequest.of(tokens, 16);

		assertThat(request.positions()).extracting(StreamPosition::stream)
			.containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13",
					"s14", "s15");
		assertThat(request.itemsOf(Outcome.OVER_LIMIT)).extracting(Item::token)
			.containsExactly(token("s16", 1), token("s17", 1), token("s18", 1), token("s19", 1));
		assertThat(request.isLimited()).isTrue();
	}

	@Test // #5
	void onlyTheFirstPositionOfAStreamCountsAndRepeatsDoNotUseTheMaximum() {
		RecoveryRequest request = RecoveryRequest
			.of(List.of(token("a", 1), token("a", 2), token("a", 3), token("b", 1), "garbage"), 2);

		assertThat(request.items()).extracting(Item::outcome)
			.containsExactly(Outcome.RECOVER, Outcome.REPEATED, Outcome.REPEATED, Outcome.RECOVER, Outcome.MALFORMED);
		assertThat(request.positions()).containsExactly(StreamPosition.parse(token("a", 1)),
				StreamPosition.parse(token("b", 1)));
	}

	@Test
	void aRequestWithinTheLimitsIsNotLimited() {
		RecoveryRequest request = RecoveryRequest.of(List.of(token("a", 1), "garbage"), 16);

		assertThat(request.isLimited()).isFalse();
		assertThat(request.itemsOf(Outcome.MALFORMED)).extracting(Item::token).containsExactly("garbage");
	}

}
