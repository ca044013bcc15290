/**
 * The seed's chat application, rooms at {@code /ws/chat/{room}} with join and leave
 * notices, and the chat page's rooms at {@code /ws/rooms/{room}}, with history, presence
 * and recovery, for ws-infra.js.
 */
@NullMarked
package dev.wsinfra.samples.chat;

import org.jspecify.annotations.NullMarked;
