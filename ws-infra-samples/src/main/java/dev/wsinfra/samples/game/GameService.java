package dev.wsinfra.samples.game;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

import dev.wsinfra.samples.support.InvalidMessageException;
import dev.wsinfra.samples.support.SharedState;
import dev.wsinfra.samples.support.SharedState.Change;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The seed's {@code GameManager} without its sends: games live in {@link SharedState}, so
 * that a game created on one instance can be joined and played on another; each change is
 * one atomic update of the game. A game is forgotten {@code samples.game.ttl} (1 h) after
 * its last change.
 */
@Service
class GameService {

	private static final int MAX_ID_ATTEMPTS = 20;

	private final SharedState state;

	private final Duration ttl;

	GameService(SharedState state, @Value("${samples.game.ttl:1h}") Duration ttl) {
		this.state = state;
		this.ttl = ttl;
	}

	Game create(String host) {
		for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
			String id = "game_" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
			Game game = Game.create(id, host);
			Optional<Game> created = this.state.update(key(id), Game.class, this.ttl, (current) -> (current != null)
					? Change.keep(Optional.empty()) : Change.write(game, Optional.of(game)));
			if (created.isPresent()) {
				return created.get();
			}
		}
		throw new IllegalStateException("No free game id after " + MAX_ID_ATTEMPTS + " attempts");
	}

	/**
	 * Joins a player to a game; a player of the game may join again (another tab, a
	 * reconnection) at any time.
	 * @return the game, and whether the player is new to it
	 */
	Joined join(String id, String player) {
		return this.state.update(key(id), Game.class, this.ttl, (current) -> {
			Game game = found(id, current);
			if (game.hasPlayer(player)) {
				return Change.keep(new Joined(game, false));
			}
			Game joined = game.join(player);
			return Change.write(joined, new Joined(joined, true));
		});
	}

	Game start(String id, String player) {
		return change(id, (game) -> game.start(player));
	}

	Game play(String id, String player, int add) {
		return change(id, (game) -> game.play(player, add));
	}

	private Game change(String id, UnaryOperator<Game> rule) {
		return this.state.update(key(id), Game.class, this.ttl, (current) -> {
			Game changed = rule.apply(found(id, current));
			return Change.write(changed, changed);
		});
	}

	private static Game found(String id, @Nullable Game game) {
		if (game == null) {
			throw new InvalidMessageException("game_not_found", "Game not found: " + id);
		}
		return game;
	}

	private static String key(String id) {
		return "games:" + id;
	}

	/**
	 * The result of a join.
	 *
	 * @param game the game after the join
	 * @param newPlayer whether the player joined for the first time
	 */
	record Joined(Game game, boolean newPlayer) {

	}

}
