/**
 * Not API: the table of the seed's {@code WS_*} variables and their value parser, shared
 * by {@code WebSocketConfig.fromEnv} and the Spring Boot starter; may change without
 * notice.
 */
@NullMarked
package dev.wsinfra.config.internal;

import org.jspecify.annotations.NullMarked;
