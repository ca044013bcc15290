package dev.wsinfra.samples.game;

import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

class GameIntegrationTests extends SampleAppTests {

	@Test
	void playersCreateJoinStartAndPlayAGameToItsEnd() {
		WsTestClient ann = this.clients.connect("/ws/game", "ann");
		WsTestClient ben = this.clients.connect("/ws/game", "ben");
		ann.sendJson(Map.of("type", "create"));
		JsonNode created = next(ann);
		assertThat(created.path("type").asString()).isEqualTo("game_created");
		assertThat(created.path("state").asString()).isEqualTo("waiting");
		String id = created.path("game_id").asString();
		assertThat(id).matches("game_\\d{6}");

		ben.sendJson(Map.of("type", "join", "game_id", id));
		for (WsTestClient client : new WsTestClient[] { ann, ben }) {
			JsonNode joined = next(client);
			assertThat(joined.path("type").asString()).isEqualTo("player_joined");
			assertThat(joined.path("player_id").asString()).isEqualTo("ben");
			assertThat(joined.path("players").values()).extracting(JsonNode::asString).containsExactly("ann", "ben");
		}

		ben.sendJson(Map.of("type", "start", "game_id", id));
		assertError(next(ben), "not_host");
		ann.sendJson(Map.of("type", "start", "game_id", id));
		JsonNode started = next(ben);
		assertThat(started.path("type").asString()).isEqualTo("game_started");
		assertThat(started.path("game_state").path("turn").asString()).isEqualTo("ann");
		next(ann);

		ben.sendJson(Map.of("type", "action", "game_id", id, "action", Map.of("add", 1)));
		assertError(next(ben), "not_your_turn");
		ann.sendJson(Map.of("type", "action", "game_id", id, "action", Map.of("add", 4)));
		assertError(next(ann), "invalid_action");

		int total = 0;
		WsTestClient[] players = { ann, ben };
		String[] names = { "ann", "ben" };
		for (int turn = 0; total < 21; turn++) {
			int add = Math.min(3, 21 - total);
			players[turn % 2].sendJson(Map.of("type", "action", "game_id", id, "action", Map.of("add", add)));
			total += add;
			for (WsTestClient client : players) {
				JsonNode update = next(client);
				assertThat(update.path("type").asString()).isEqualTo("state_update");
				assertThat(update.path("player_id").asString()).isEqualTo(names[turn % 2]);
				assertThat(update.path("result").path("total").asInt()).isEqualTo(total);
			}
		}
		ann.sendJson(Map.of("type", "action", "game_id", id, "action", Map.of("add", 1)));
		assertError(next(ann), "game_finished");
	}

	@Test
	void anUnknownOrStartedGameIsAnErrorToTheJoinerOnly() {
		WsTestClient cal = this.clients.connect("/ws/game", "cal");
		WsTestClient dee = this.clients.connect("/ws/game", "dee");
		WsTestClient eve = this.clients.connect("/ws/game", "eve");
		cal.sendJson(Map.of("type", "create"));
		String id = next(cal).path("game_id").asString();
		dee.sendJson(Map.of("type", "join", "game_id", id));
		next(cal);
		next(dee);

		eve.sendJson(Map.of("type", "join", "game_id", "game_000000"));
		JsonNode notFound = next(eve);
		assertError(notFound, "game_not_found");
		assertThat(notFound.path("message").asString()).startsWith("Game not found");

		cal.sendJson(Map.of("type", "start", "game_id", id));
		next(cal);
		next(dee);
		eve.sendJson(Map.of("type", "join", "game_id", id));
		JsonNode inProgress = next(eve);
		assertError(inProgress, "game_in_progress");
		assertThat(inProgress.path("message").asString()).isEqualTo("Game already in progress");
		assertNothingMore(cal);
		assertNothingMore(dee);

		dee.sendJson(Map.of("type", "join", "game_id", id));
		assertThat(next(dee).path("type").asString()).isEqualTo("game_state");
	}

	@Test
	void badMessagesAreErrors() {
		WsTestClient fay = this.clients.connect("/ws/game", "fay");
		fay.sendJson(Map.of("type", "dance"));
		assertError(next(fay), "unknown_type");
		fay.sendJson(Map.of("type", "join"));
		assertError(next(fay), "invalid_message");
		fay.sendJson(Map.of("game_id", "game_1"));
		assertError(next(fay), "invalid_message");
		fay.sendJson(Map.of("type", "action", "game_id", "game_1", "action", "add"));
		assertError(next(fay), "invalid_message");
		fay.sendJson(Map.of("type", "action", "game_id", "game_1", "action", Map.of("add", "two")));
		assertError(next(fay), "invalid_message");
		fay.sendJson(Map.of("type", "start", "game_id", "game_1"));
		assertError(next(fay), "game_not_found");
		fay.send("{\"type\":");
		assertError(next(fay), "bad_message");
	}

	@Test
	void theOtherPlayersLearnWhenAPlayerDisconnects() {
		WsTestClient gus = this.clients.connect("/ws/game", "gus");
		WsTestClient hal = this.clients.connect("/ws/game", "hal");
		gus.sendJson(Map.of("type", "create"));
		String id = next(gus).path("game_id").asString();
		hal.sendJson(Map.of("type", "join", "game_id", id));
		next(gus);
		next(hal);
		hal.close();
		JsonNode left = next(gus);
		assertThat(left.path("type").asString()).isEqualTo("player_disconnected");
		assertThat(left.path("player_id").asString()).isEqualTo("hal");
	}

}
