/**
 * Not API: types shared by ws-infra's auto-configuration packages; may change without
 * notice.
 */
@NullMarked
package dev.wsinfra.autoconfigure.internal;

import org.jspecify.annotations.NullMarked;
