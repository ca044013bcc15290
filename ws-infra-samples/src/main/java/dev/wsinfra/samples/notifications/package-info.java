/**
 * The seed's real-time notifications: connections at {@code /ws/notifications}, and
 * {@code POST /api/notify/{userId}} that pushes to one user's connections.
 */
@NullMarked
package dev.wsinfra.samples.notifications;

import org.jspecify.annotations.NullMarked;
