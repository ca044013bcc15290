/**
 * Realtime voice: the relay at {@code /ws/realtime} behind {@code realtime.html}, with a
 * server tool and a local stand-in for when no provider key is set; and the seed's
 * command-line OpenAI Realtime example, a {@code WebSocketClient} that asks for a spoken
 * answer and collects the audio chunks it streams back.
 */
@NullMarked
package dev.wsinfra.samples.realtime;

import org.jspecify.annotations.NullMarked;
