/**
 * Immutable client configuration with the seed's defaults and its {@code WS_*} variables.
 */
@NullMarked
package dev.wsinfra.config;

import org.jspecify.annotations.NullMarked;
