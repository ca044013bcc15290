package dev.wsinfra.autoconfigure;

import dev.wsinfra.endpoint.WsConnectedEvent;
import dev.wsinfra.endpoint.WsDisconnectedEvent;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the connection manager's connects and disconnects as application events.
 */
final class ConnectionEventPublisher {

	ConnectionEventPublisher(ConnectionManager manager, ApplicationEventPublisher publisher) {
		manager.onConnect((event) -> publisher.publishEvent(new WsConnectedEvent(manager, event)));
		manager.onDisconnect((event) -> publisher.publishEvent(new WsDisconnectedEvent(manager, event)));
	}

}
