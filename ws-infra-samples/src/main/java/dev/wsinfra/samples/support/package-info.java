/**
 * What the examples share: JSON message handling with clear errors, state that lives in
 * Redis when the Redis module is on, and the choice of the one instance that runs a
 * periodic task.
 */
@NullMarked
package dev.wsinfra.samples.support;

import org.jspecify.annotations.NullMarked;
