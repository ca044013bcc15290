package dev.wsinfra.samples.game;

import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.samples.support.InvalidMessageException;
import org.jspecify.annotations.Nullable;

/**
 * One game, the seed's {@code Game}: its players in the order they joined, its state and
 * its data. The game played is "race to 21": in turn, each player adds 1, 2 or 3 to a
 * shared total; whoever brings it to exactly 21 wins. Immutable: every rule returns a new
 * game or throws an {@link InvalidMessageException} naming the broken rule.
 *
 * @param id the game id, such as {@code game_123456}
 * @param host the player who created it, who starts it
 * @param players the players, host first
 * @param state {@code waiting}, {@code playing} or {@code finished}
 * @param data the game data: total, target, whose turn, winner
 */
record Game(String id, String host, List<String> players, String state, Data data) {

	static final String WAITING = "waiting";

	static final String PLAYING = "playing";

	static final String FINISHED = "finished";

	static final int TARGET = 21;

	static final int MAX_ADD = 3;

	static final int MAX_PLAYERS = 8;

	Game {
		players = List.copyOf(players);
	}

	static Game create(String id, String host) {
		return new Game(id, host, List.of(host), WAITING, new Data(0, TARGET, null, null));
	}

	boolean hasPlayer(String player) {
		return this.players.contains(player);
	}

	Game join(String player) {
		if (!WAITING.equals(this.state)) {
			throw new InvalidMessageException("game_in_progress", "Game already in progress");
		}
		if (this.players.size() >= MAX_PLAYERS) {
			throw new InvalidMessageException("game_full", "Game is full (" + MAX_PLAYERS + " players)");
		}
		List<String> players = new ArrayList<>(this.players);
		players.add(player);
		return new Game(this.id, this.host, players, this.state, this.data);
	}

	Game start(String player) {
		if (!this.host.equals(player)) {
			throw new InvalidMessageException("not_host", "Only the host, " + this.host + ", can start the game");
		}
		if (!WAITING.equals(this.state)) {
			throw new InvalidMessageException("game_in_progress", "Game already in progress");
		}
		if (this.players.size() < 2) {
			throw new InvalidMessageException("not_enough_players", "A game needs at least 2 players");
		}
		return new Game(this.id, this.host, this.players, PLAYING, new Data(0, TARGET, this.players.get(0), null));
	}

	Game play(String player, int add) {
		if (!hasPlayer(player)) {
			throw new InvalidMessageException("not_a_player", "You are not a player of " + this.id);
		}
		if (WAITING.equals(this.state)) {
			throw new InvalidMessageException("game_not_started", "The game has not started");
		}
		if (FINISHED.equals(this.state)) {
			throw new InvalidMessageException("game_finished", "The game is over");
		}
		if (!player.equals(this.data.turn())) {
			throw new InvalidMessageException("not_your_turn", "It is " + this.data.turn() + "'s turn");
		}
		if (add < 1 || add > MAX_ADD || this.data.total() + add > TARGET) {
			throw new InvalidMessageException("invalid_action", "\"add\" must be 1 to "
					+ Math.min(MAX_ADD, TARGET - this.data.total()) + " with the total at " + this.data.total());
		}
		int total = this.data.total() + add;
		if (total == TARGET) {
			return new Game(this.id, this.host, this.players, FINISHED, new Data(total, TARGET, null, player));
		}
		String next = this.players.get((this.players.indexOf(player) + 1) % this.players.size());
		return new Game(this.id, this.host, this.players, PLAYING, new Data(total, TARGET, next, null));
	}

	/**
	 * The game data, the seed's {@code game.data}.
	 *
	 * @param total the running total
	 * @param target the total that wins
	 * @param turn whose turn it is while playing
	 * @param winner who reached the target
	 */
	record Data(int total, int target, @Nullable String turn, @Nullable String winner) {

	}

}
