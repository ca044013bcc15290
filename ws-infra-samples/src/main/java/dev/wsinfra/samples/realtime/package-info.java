/**
 * The seed's OpenAI Realtime API example: a {@code WebSocketClient} that configures a
 * session, asks for a spoken answer and collects the audio chunks it streams back.
 */
@NullMarked
package dev.wsinfra.samples.realtime;

import org.jspecify.annotations.NullMarked;
