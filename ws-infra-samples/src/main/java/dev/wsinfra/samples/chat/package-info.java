/**
 * The seed's chat application: rooms at {@code /ws/chat/{room}}, with join and leave
 * notices.
 */
@NullMarked
package dev.wsinfra.samples.chat;

import org.jspecify.annotations.NullMarked;
