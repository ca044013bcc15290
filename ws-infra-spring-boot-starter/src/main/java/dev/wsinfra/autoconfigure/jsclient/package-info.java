/**
 * Auto-configuration that serves ws-infra.js, the JavaScript client, from the starter.
 */
@NullMarked
package dev.wsinfra.autoconfigure.jsclient;

import org.jspecify.annotations.NullMarked;
