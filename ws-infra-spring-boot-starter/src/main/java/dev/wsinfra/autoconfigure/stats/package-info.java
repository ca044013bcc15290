/**
 * Auto-configuration of ws-infra's statistics Actuator endpoint.
 */
@NullMarked
package dev.wsinfra.autoconfigure.stats;

import org.jspecify.annotations.NullMarked;
