/**
 * The seed's multiplayer game server at {@code /ws/game}: create, join, start, and
 * actions broadcast to the game's room, with a small turn-based game to play.
 */
@NullMarked
package dev.wsinfra.samples.game;

import org.jspecify.annotations.NullMarked;
