package dev.wsinfra.server.internal;

import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.SendListener;
import dev.wsinfra.server.SendType;

/**
 * A message that an {@link InMemoryConnectionManager} sends as it would the wrapped
 * message, but reports to its {@link SendListener send listeners} under the given type:
 * for a manager that delivers through an in-memory one on behalf of a send of another
 * kind, such as the entries of a persistent stream, each sent to one connection.
 *
 * @param message the message
 * @param type the type to report
 */
public record TypedMessage(Object message, SendType type) {

}
