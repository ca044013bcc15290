/**
 * The realtime relay's public types: the {@link dev.wsinfra.realtime.RealtimeProvider}
 * interface behind OpenAI Realtime and Gemini Live, the per-session policy, server-side
 * tools and usage reports.
 */
@NullMarked
package dev.wsinfra.realtime;

import org.jspecify.annotations.NullMarked;
