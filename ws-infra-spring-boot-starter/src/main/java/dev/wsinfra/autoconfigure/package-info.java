/**
 * Auto-configuration of ws-infra: the connection manager, the {@code ws.*} properties and
 * the seed's {@code WS_*} environment variables.
 */
@NullMarked
package dev.wsinfra.autoconfigure;

import org.jspecify.annotations.NullMarked;
