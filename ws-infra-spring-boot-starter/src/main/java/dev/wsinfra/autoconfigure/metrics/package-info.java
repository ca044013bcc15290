/**
 * Auto-configuration of ws-infra's Micrometer meters.
 */
@NullMarked
package dev.wsinfra.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
