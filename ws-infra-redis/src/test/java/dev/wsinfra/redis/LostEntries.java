package dev.wsinfra.redis;

import dev.wsinfra.test.WsTestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client that resumes from a position in entries Redis lost is told, after a
 * restart without persistence or a restore of an older backup.
 */
final class LostEntries {

	private LostEntries() {
	}

	/**
	 * Asserts that the client's first frame says nothing was recovered or replayed, and
	 * that the stream went on in a new epoch.
	 * @param client the client that resumed
	 * @param lostPosition the position it resumed from
	 * @param current a position of the stream after the loss
	 */
	static void assertNothingRecovered(WsTestClient client, String lostPosition, StreamPosition current) {
		JsonNode recovery = client.nextJson();
		assertThat(recovery.path("type").asString()).isEqualTo("recovery");
		assertThat(recovery.path("recovered").asBoolean()).isFalse();
		assertThat(recovery.path("replayed").asInt()).isZero();
		assertThat(current.epoch()).isNotEqualTo(StreamPosition.parse(lostPosition).epoch());
	}

}
