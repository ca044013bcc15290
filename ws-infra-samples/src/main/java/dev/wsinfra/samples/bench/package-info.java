/**
 * The fan-out benchmark endpoint, {@code /ws/bench}, speaking the bench protocol of the
 * performance report.
 */
@NullMarked
package dev.wsinfra.samples.bench;

import org.jspecify.annotations.NullMarked;
