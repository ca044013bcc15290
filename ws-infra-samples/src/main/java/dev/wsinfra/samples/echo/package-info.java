/**
 * The public echo endpoint, {@code /ws/echo}.
 */
@NullMarked
package dev.wsinfra.samples.echo;

import org.jspecify.annotations.NullMarked;
