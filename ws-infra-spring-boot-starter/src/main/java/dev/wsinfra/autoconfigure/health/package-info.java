/**
 * Auto-configuration of ws-infra's Actuator health contributor and statistics endpoint.
 */
@NullMarked
package dev.wsinfra.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
