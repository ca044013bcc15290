/**
 * Test kit for WebSocket endpoints: a recording client, a raw-socket peer, a session stub
 * and the glue for {@code @SpringBootTest} with a web server.
 */
@NullMarked
package dev.wsinfra.test;

import org.jspecify.annotations.NullMarked;
