/**
 * The sample's security: the JWT secret (configured, or random for one run), the
 * sample-only token endpoint {@code POST /dev/token}, and the protection of the REST
 * endpoints with the same tokens as the WebSocket endpoints.
 */
@NullMarked
package dev.wsinfra.samples.security;

import org.jspecify.annotations.NullMarked;
