package dev.wsinfra.samples.stocks;

import java.util.List;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

class StocksIntegrationTests extends SampleAppTests {

	@Test
	void subscribersGetTheCurrentPriceThenUpdatesOfTheirSymbolsOnly() {
		WsTestClient uma = this.clients.connect("/ws/stocks", "uma");
		WsTestClient vic = this.clients.connect("/ws/stocks", "vic");
		uma.sendJson(Map.of("action", "subscribe", "symbols", List.of("AAPL", "MSFT")));
		// The rooms are joined before the answer, so a tick's updates may come between
		// its parts.
		JsonNode subscribed = next(uma, "subscribed");
		assertThat(subscribed.path("symbols").values()).extracting(JsonNode::asString).containsExactly("AAPL", "MSFT");
		JsonNode price = next(uma, "price");
		assertThat(price.path("symbol").asString()).isEqualTo("AAPL");
		assertThat(Double.parseDouble(price.path("price").asString())).isPositive();
		assertThat(next(uma, "price").path("symbol").asString()).isEqualTo("MSFT");
		for (int i = 0; i < 6; i++) {
			JsonNode update = next(uma);
			assertThat(update.path("type").asString()).isEqualTo("price_update");
			assertThat(update.path("symbol").asString()).isIn("AAPL", "MSFT");
			assertThat(update.has("change")).isTrue();
			assertThat(update.has("change_percent")).isTrue();
			assertThat(update.has("timestamp")).isTrue();
		}
		assertNothingMore(vic);

		uma.sendJson(Map.of("action", "unsubscribe", "symbols", List.of("AAPL", "MSFT")));
		skipUntil(uma, "unsubscribed");
		// A witness subscribed after uma left: an update that reaches it would have been
		// queued for uma in the same broadcast, before uma's pong.
		WsTestClient wes = this.clients.connect("/ws/stocks", "wes");
		wes.sendJson(Map.of("action", "subscribe", "symbols", List.of("AAPL", "MSFT")));
		for (String symbol : List.of("AAPL", "MSFT")) {
			wes.awaitJson((json) -> "price_update".equals(json.path("type").asString())
					&& symbol.equals(json.path("symbol").asString()));
		}
		assertNothingMore(uma);
	}

	@Test
	void unknownSymbolsAndBadRequestsAreErrorsAndTheKnownSymbolsAreStillSubscribed() {
		WsTestClient walt = this.clients.connect("/ws/stocks", "walt");
		walt.sendJson(Map.of("action", "subscribe", "symbols", List.of("NVDA", "NOPE")));
		assertThat(next(walt, "subscribed").path("symbols").values()).extracting(JsonNode::asString)
			.containsExactly("NVDA");
		next(walt, "price");
		JsonNode error = next(walt);
		while ("price_update".equals(error.path("type").asString())) {
			error = next(walt);
		}
		assertError(error, "unknown_symbol");
		assertThat(error.path("message").asString()).contains("NOPE");
		walt.sendJson(Map.of("action", "unsubscribe", "symbols", List.of("NVDA")));
		skipUntil(walt, "unsubscribed");

		walt.sendJson(Map.of("action", "buy", "symbols", List.of("NVDA")));
		assertError(next(walt), "unknown_action");
		walt.sendJson(Map.of("symbols", List.of("NVDA")));
		assertError(next(walt), "invalid_message");
		walt.sendJson(Map.of("action", "subscribe", "symbols", "NVDA"));
		assertError(next(walt), "invalid_message");
		walt.sendJson(Map.of("action", "subscribe", "symbols", List.of(1, 2)));
		assertError(next(walt), "invalid_message");
		walt.send("{\"action\": subscribe}");
		assertError(next(walt), "bad_message");
	}

	private static void skipUntil(WsTestClient client, String type) {
		JsonNode message;
		do {
			message = next(client);
		}
		while (!type.equals(message.path("type").asString()));
	}

}
