/**
 * The seed's stock ticker: {@code /ws/stocks} subscribes to symbols, one room per symbol,
 * and price updates reach the subscribers only.
 */
@NullMarked
package dev.wsinfra.samples.stocks;

import org.jspecify.annotations.NullMarked;
