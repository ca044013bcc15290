/**
 * Types that the WebSocket client and the server side share: messages, connection states
 * and the exceptions.
 */
@NullMarked
package dev.wsinfra;

import org.jspecify.annotations.NullMarked;
