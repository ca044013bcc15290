package dev.wsinfra.samples.stocks;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import dev.wsinfra.samples.support.Leadership;
import dev.wsinfra.samples.support.SharedState;
import dev.wsinfra.samples.support.SharedState.Change;
import dev.wsinfra.server.ConnectionManager;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A stand-in price feed: every {@code samples.stocks.interval} (1 s) each symbol's price
 * moves by up to 1 % either way, and the seed's {@code price_update} goes to the room
 * {@code stock:<symbol>}, that is to its subscribers only. The prices live in
 * {@link SharedState}, so every instance answers a new subscriber with the same current
 * price; only the {@link Leadership leader} moves them and sends the updates.
 */
@Component
class StockTicker {

	/** The symbols the feed knows, with their opening prices. */
	static final Map<String, BigDecimal> OPENING = openingPrices();

	private static final String KEY = "stocks:prices";

	private static final Duration TTL = Duration.ofDays(1);

	private final ConnectionManager manager;

	private final SharedState state;

	private final Leadership leadership;

	private final Duration lease;

	StockTicker(ConnectionManager manager, SharedState state, Leadership leadership,
			@Value("${samples.stocks.interval:1s}") Duration interval) {
		this.manager = manager;
		this.state = state;
		this.leadership = leadership;
		this.lease = Leadership.leaseFor(interval);
	}

	static String room(String symbol) {
		return "stock:" + symbol;
	}

	static Set<String> symbols() {
		return OPENING.keySet();
	}

	/**
	 * Returns the current price of a known symbol.
	 */
	BigDecimal price(String symbol) {
		return this.state.read(KEY, PriceBook.class)
			.map((book) -> book.prices().get(symbol))
			.orElse(OPENING.get(symbol));
	}

	@Scheduled(fixedRateString = "${samples.stocks.interval:1s}")
	void tick() {
		if (!this.leadership.lead("stocks", this.lease)) {
			return;
		}
		Instant now = Instant.now();
		PriceBook moved = this.state.update(KEY, PriceBook.class, TTL, (@Nullable PriceBook book) -> {
			Map<String, BigDecimal> prices = new LinkedHashMap<>();
			Map<String, BigDecimal> changes = new LinkedHashMap<>();
			for (Map.Entry<String, BigDecimal> opening : OPENING.entrySet()) {
				BigDecimal previous = (book != null && book.prices().containsKey(opening.getKey()))
						? book.prices().get(opening.getKey()) : opening.getValue();
				BigDecimal change = previous
					.multiply(BigDecimal.valueOf(ThreadLocalRandom.current().nextDouble(-0.01, 0.01)))
					.setScale(2, RoundingMode.HALF_EVEN);
				BigDecimal price = previous.add(change).max(new BigDecimal("0.01"));
				prices.put(opening.getKey(), price);
				changes.put(opening.getKey(), price.subtract(previous));
			}
			PriceBook next = new PriceBook(prices, changes);
			return Change.write(next, next);
		});
		for (String symbol : OPENING.keySet()) {
			this.manager.broadcastToRoom(room(symbol),
					PriceUpdate.of(symbol, moved.prices().get(symbol), moved.changes().get(symbol), now));
		}
	}

	private static Map<String, BigDecimal> openingPrices() {
		Map<String, BigDecimal> prices = new LinkedHashMap<>();
		prices.put("AAPL", new BigDecimal("150.25"));
		prices.put("AMZN", new BigDecimal("180.75"));
		prices.put("GOOGL", new BigDecimal("140.10"));
		prices.put("META", new BigDecimal("500.20"));
		prices.put("MSFT", new BigDecimal("410.30"));
		prices.put("NVDA", new BigDecimal("120.50"));
		prices.put("TSLA", new BigDecimal("250.00"));
		return Collections.unmodifiableMap(prices);
	}

	/**
	 * The last prices and their last change, per symbol.
	 *
	 * @param prices the prices
	 * @param changes the change of the last tick
	 */
	record PriceBook(Map<String, BigDecimal> prices, Map<String, BigDecimal> changes) {

	}

	/**
	 * The seed's {@code price_update}, amounts as strings.
	 */
	record PriceUpdate(String type, String symbol, String price, String change, String change_percent,
			String timestamp) {

		static PriceUpdate of(String symbol, BigDecimal price, BigDecimal change, Instant at) {
			BigDecimal previous = price.subtract(change);
			BigDecimal percent = (previous.signum() == 0) ? BigDecimal.ZERO
					: change.multiply(BigDecimal.valueOf(100)).divide(previous, 2, RoundingMode.HALF_EVEN);
			return new PriceUpdate("price_update", symbol, price.toPlainString(), change.toPlainString(),
					percent.toPlainString(), at.toString());
		}

	}

}
