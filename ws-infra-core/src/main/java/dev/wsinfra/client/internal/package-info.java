/**
 * Not API: the Tyrus adapter, the frame guard, the send and receive queues, keepalive and
 * backoff behind {@code dev.wsinfra.client}; may change without notice.
 */
@NullMarked
package dev.wsinfra.client.internal;

import org.jspecify.annotations.NullMarked;
