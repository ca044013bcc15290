/**
 * The sample application: every example of ws-infra in one runnable Spring Boot app.
 */
@NullMarked
package dev.wsinfra.samples;

import org.jspecify.annotations.NullMarked;
