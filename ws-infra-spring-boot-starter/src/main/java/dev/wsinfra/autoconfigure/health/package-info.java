/**
 * Auto-configuration of ws-infra's Actuator health contributor.
 */
@NullMarked
package dev.wsinfra.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
