/**
 * Auto-configuration of the realtime relay ({@code ws.realtime.*}): the endpoint that
 * pairs each browser connection with one connection to OpenAI Realtime or Gemini Live.
 */
@NullMarked
package dev.wsinfra.autoconfigure.realtime;

import org.jspecify.annotations.NullMarked;
