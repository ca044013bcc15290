package dev.wsinfra.samples.stocks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.samples.support.InvalidMessageException;
import dev.wsinfra.samples.support.JsonEndpointHandler;
import dev.wsinfra.samples.support.JsonMessages;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.server.ConnectionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketSession;

/**
 * The seed's stock stream, {@code /ws/stocks} (protected). A client sends
 * {@code {"action": "subscribe", "symbols": ["AAPL", ...]}} or {@code "unsubscribe"}; a
 * subscription joins the user to the room {@code stock:<symbol>}, is acknowledged with
 * {@code {"type": "subscribed", "symbols": [...]}} and followed by the seed's
 * {@code {"type": "price", "symbol", "price"}} for each symbol; the feed's
 * {@code price_update} messages then arrive until {@code {"type": "unsubscribed", ...}}.
 * Symbols the feed does not know are answered with an {@code unknown_symbol} error; the
 * others are still subscribed. Subscriptions belong to the user, as rooms do: they end
 * when the user's last ticker connection closes.
 */
@Component
@WsEndpoint(path = StocksHandler.PATH, auth = WsAuth.PROTECTED)
class StocksHandler extends JsonEndpointHandler {

	static final String PATH = "/ws/stocks";

	private static final int MAX_SYMBOLS = 50;

	private final StockTicker ticker;

	StocksHandler(ConnectionManager manager, JsonMapper jsonMapper, StockTicker ticker) {
		super(manager, jsonMapper, PATH);
		this.ticker = ticker;
	}

	@Override
	protected void handle(WebSocketSession session, String user, JsonNode message) {
		String action = JsonMessages.requiredText(message, "action");
		boolean subscribe = switch (action) {
			case "subscribe" -> true;
			case "unsubscribe" -> false;
			default -> throw new InvalidMessageException("unknown_action",
					"Unknown action \"" + action + "\"; expected \"subscribe\" or \"unsubscribe\"");
		};
		Set<String> symbols = symbols(message);
		List<String> known = new ArrayList<>();
		List<String> unknown = new ArrayList<>();
		for (String symbol : symbols) {
			(StockTicker.symbols().contains(symbol) ? known : unknown).add(symbol);
		}
		for (String symbol : known) {
			if (subscribe) {
				this.manager.joinRoom(user, StockTicker.room(symbol));
			}
			else {
				this.manager.leaveRoom(user, StockTicker.room(symbol));
			}
		}
		this.manager.send(session, Map.of("type", subscribe ? "subscribed" : "unsubscribed", "symbols", known));
		if (subscribe) {
			for (String symbol : known) {
				this.manager.send(session,
						Map.of("type", "price", "symbol", symbol, "price", this.ticker.price(symbol).toPlainString()));
			}
		}
		if (!unknown.isEmpty()) {
			sendError(session, "unknown_symbol", "Unknown symbols " + unknown + "; the feed knows "
					+ StockTicker.symbols().stream().sorted().toList());
		}
	}

	private static Set<String> symbols(JsonNode message) {
		JsonNode symbols = message.get("symbols");
		if (symbols == null || !symbols.isArray()) {
			throw new InvalidMessageException("invalid_message", "\"symbols\" must be an array of strings");
		}
		if (symbols.size() > MAX_SYMBOLS) {
			throw new InvalidMessageException("invalid_message", "at most " + MAX_SYMBOLS + " symbols at once");
		}
		Set<String> names = new LinkedHashSet<>();
		for (JsonNode symbol : symbols) {
			if (!symbol.isString()) {
				throw new InvalidMessageException("invalid_message", "\"symbols\" must be an array of strings");
			}
			names.add(symbol.asString());
		}
		return names;
	}

	@Override
	protected void closed(WebSocketSession session, String user) {
		if (hasOtherConnection(user, session, (metadata) -> true)) {
			return;
		}
		for (String symbol : StockTicker.symbols()) {
			this.manager.leaveRoom(user, StockTicker.room(symbol));
		}
	}

}
