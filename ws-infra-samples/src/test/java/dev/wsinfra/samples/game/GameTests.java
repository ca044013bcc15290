package dev.wsinfra.samples.game;

import dev.wsinfra.samples.support.InvalidMessageException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GameTests {

	private final Game waiting = Game.create("game_1", "ann").join("ben");

	@Test
	void playersJoinWhileTheGameWaitsAndTheHostStartsIt() {
		assertThat(this.waiting.players()).containsExactly("ann", "ben");
		assertRefused(() -> Game.create("game_1", "ann").start("ann"), "not_enough_players");
		assertRefused(() -> this.waiting.start("ben"), "not_host");
		Game started = this.waiting.start("ann");
		assertThat(started.state()).isEqualTo(Game.PLAYING);
		assertThat(started.data().turn()).isEqualTo("ann");
		assertRefused(() -> started.join("cal"), "game_in_progress");
		assertRefused(() -> started.start("ann"), "game_in_progress");
	}

	@Test
	void playersTakeTurnsAndWhoeverReachesTwentyOneWins() {
		assertRefused(() -> this.waiting.play("ann", 1), "game_not_started");
		Game game = this.waiting.start("ann");
		Game first = game;
		assertRefused(() -> first.play("ben", 1), "not_your_turn");
		assertRefused(() -> first.play("cal", 1), "not_a_player");
		assertRefused(() -> first.play("ann", 0), "invalid_action");
		assertRefused(() -> first.play("ann", 4), "invalid_action");
		String[] turns = { "ann", "ben" };
		for (int turn = 0; turn < 6; turn++) {
			game = game.play(turns[turn % 2], 3);
		}
		assertThat(game.data().total()).isEqualTo(18);
		assertThat(game.data().turn()).isEqualTo("ann");
		Game nearEnd = game;
		assertRefused(() -> nearEnd.play("ann", 3).play("ben", 1), "game_finished");
		Game almost = nearEnd.play("ann", 2);
		assertRefused(() -> almost.play("ben", 2), "invalid_action");
		Game won = almost.play("ben", 1);
		assertThat(won.state()).isEqualTo(Game.FINISHED);
		assertThat(won.data().winner()).isEqualTo("ben");
		assertThat(won.data().total()).isEqualTo(21);
	}

	@Test
	void aGameHoldsAtMostEightPlayers() {
		Game game = Game.create("game_1", "p0");
		for (int i = 1; i < Game.MAX_PLAYERS; i++) {
			game = game.join("p" + i);
		}
		Game full = game;
		assertRefused(() -> full.join("late"), "game_full");
	}

	private static void assertRefused(ThrowingCallable rule, String code) {
		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(rule)
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(code));
	}

}
