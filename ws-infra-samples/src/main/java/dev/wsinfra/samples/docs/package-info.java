/**
 * The seed's collaborative document at {@code /ws/docs/{docId}}: insert and delete
 * operations, transformed against concurrent ones and applied in one order, and cursors.
 */
@NullMarked
package dev.wsinfra.samples.docs;

import org.jspecify.annotations.NullMarked;
