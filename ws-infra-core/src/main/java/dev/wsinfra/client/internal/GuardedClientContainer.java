package dev.wsinfra.client.internal;

import java.io.IOException;
import java.util.Map;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;
import org.glassfish.tyrus.spi.ClientContainer;
import org.glassfish.tyrus.spi.ClientEngine;

/**
 * Tyrus's JDK client container with the client's hooks around each connection: the
 * {@link TransportControl} found in the properties sees the handshake response and puts a
 * {@link FrameGuard} in front of Tyrus's frame parser. Tyrus creates it by class name, so
 * it must stay public with a public no-argument constructor.
 */
public final class GuardedClientContainer implements ClientContainer {

	private final ClientContainer transport = new JdkClientContainer();

	@Override
	public void openClientSocket(ClientEndpointConfig config, Map<String, Object> properties, ClientEngine engine)
			throws DeploymentException, IOException {
		Object control = properties.get(TransportControl.PROPERTY);
		ClientEngine guarded = (control instanceof TransportControl transportControl)
				? new GuardedClientEngine(engine, transportControl) : engine;
		this.transport.openClientSocket(config, properties, guarded);
	}

}
