/**
 * Server side: the {@link dev.wsinfra.server.ConnectionManager} that tracks users,
 * connections and rooms, and delivers messages through bounded, non-blocking queues.
 */
@NullMarked
package dev.wsinfra.server;

import org.jspecify.annotations.NullMarked;
