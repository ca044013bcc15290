/**
 * Not API: helpers shared by the client, the server and the other ws-infra modules; may
 * change without notice.
 */
@NullMarked
package dev.wsinfra.internal;

import org.jspecify.annotations.NullMarked;
