/**
 * Not API: what the server side shares with the other ws-infra modules; may change
 * without notice.
 */
@NullMarked
package dev.wsinfra.server.internal;

import org.jspecify.annotations.NullMarked;
