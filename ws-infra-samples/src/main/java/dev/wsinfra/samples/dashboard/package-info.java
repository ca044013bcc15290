/**
 * The seed's live dashboard: {@code /ws/dashboard/live} receives a scheduled update every
 * few seconds, and {@code GET /ws/stats} answers the seed's statistics.
 */
@NullMarked
package dev.wsinfra.samples.dashboard;

import org.jspecify.annotations.NullMarked;
