/**
 * Authentication of WebSocket handshakes: the policies and the principal a session
 * carries.
 */
@NullMarked
package dev.wsinfra.security;

import org.jspecify.annotations.NullMarked;
