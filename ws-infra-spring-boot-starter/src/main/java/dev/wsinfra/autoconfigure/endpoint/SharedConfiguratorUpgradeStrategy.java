package dev.wsinfra.autoconfigure.endpoint;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Decoder;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Spring's standard upgrade, without a service-loader lookup per handshake.
 * <p>
 * Spring builds a new endpoint configuration for every upgrade, and the Jakarta API's
 * configurator looks its container default up through {@link java.util.ServiceLoader}
 * once per instance. With the API jar that Tyrus brings ahead of the container's own copy
 * (which caches the lookup), every handshake scanned the class path, a sixth of a
 * handshake's CPU time in a packaged app. This strategy hands the container the same
 * configuration with a configurator that shares one default for the life of the strategy.
 */
final class SharedConfiguratorUpgradeStrategy extends StandardWebSocketUpgradeStrategy {

	private volatile ServerEndpointConfig.@Nullable Configurator containerDefault;

	@Override
	protected ServerContainer getContainer(HttpServletRequest request) {
		return new SharingContainer(super.getContainer(request));
	}

	/**
	 * Returns the configuration with a configurator that takes the container's defaults
	 * (origin check, negotiation) from the shared instance, and everything else from the
	 * original.
	 */
	ServerEndpointConfig withSharedDefault(ServerEndpointConfig config) {
		return new SharedDefaultConfig(config,
				new SharedDefaultConfigurator(config.getConfigurator(), containerDefault()));
	}

	private ServerEndpointConfig.Configurator containerDefault() {
		ServerEndpointConfig.Configurator shared = this.containerDefault;
		if (shared == null) {
			shared = new ServerEndpointConfig.Configurator().getContainerDefaultConfigurator();
			this.containerDefault = shared;
		}
		return shared;
	}

	/**
	 * The original configurator, with the container default replaced by the shared one.
	 */
	private static final class SharedDefaultConfigurator extends ServerEndpointConfig.Configurator {

		private final ServerEndpointConfig.Configurator original;

		private final ServerEndpointConfig.Configurator containerDefault;

		SharedDefaultConfigurator(ServerEndpointConfig.Configurator original,
				ServerEndpointConfig.Configurator containerDefault) {
			this.original = original;
			this.containerDefault = containerDefault;
		}

		@Override
		public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
			return this.containerDefault;
		}

		@Override
		public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
			this.original.modifyHandshake(config, request, response);
		}

		@Override
		public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
			return this.original.getEndpointInstance(endpointClass);
		}

	}

	/** The original configuration with the sharing configurator. */
	private record SharedDefaultConfig(ServerEndpointConfig original,
			ServerEndpointConfig.Configurator configurator) implements ServerEndpointConfig {

		@Override
		public Class<?> getEndpointClass() {
			return this.original.getEndpointClass();
		}

		@Override
		public String getPath() {
			return this.original.getPath();
		}

		@Override
		public List<String> getSubprotocols() {
			return this.original.getSubprotocols();
		}

		@Override
		public List<Extension> getExtensions() {
			return this.original.getExtensions();
		}

		@Override
		public Configurator getConfigurator() {
			return this.configurator;
		}

		@Override
		public List<Class<? extends Encoder>> getEncoders() {
			return this.original.getEncoders();
		}

		@Override
		public List<Class<? extends Decoder>> getDecoders() {
			return this.original.getDecoders();
		}

		@Override
		public Map<String, Object> getUserProperties() {
			return this.original.getUserProperties();
		}

	}

	/** The container, upgrading with the sharing configuration. */
	private final class SharingContainer implements ServerContainer {

		private final ServerContainer container;

		SharingContainer(ServerContainer container) {
			this.container = container;
		}

		@Override
		public void upgradeHttpToWebSocket(Object request, Object response, ServerEndpointConfig config,
				Map<String, String> pathParameters) throws IOException, DeploymentException {
			this.container.upgradeHttpToWebSocket(request, response, withSharedDefault(config), pathParameters);
		}

		@Override
		public void addEndpoint(Class<?> endpointClass) throws DeploymentException {
			this.container.addEndpoint(endpointClass);
		}

		@Override
		public void addEndpoint(ServerEndpointConfig config) throws DeploymentException {
			this.container.addEndpoint(config);
		}

		@Override
		public long getDefaultAsyncSendTimeout() {
			return this.container.getDefaultAsyncSendTimeout();
		}

		@Override
		public void setAsyncSendTimeout(long timeout) {
			this.container.setAsyncSendTimeout(timeout);
		}

		@Override
		public Session connectToServer(Object endpoint, URI path) throws DeploymentException, IOException {
			return this.container.connectToServer(endpoint, path);
		}

		@Override
		public Session connectToServer(Class<?> endpoint, URI path) throws DeploymentException, IOException {
			return this.container.connectToServer(endpoint, path);
		}

		@Override
		public Session connectToServer(Endpoint endpoint, ClientEndpointConfig config, URI path)
				throws DeploymentException, IOException {
			return this.container.connectToServer(endpoint, config, path);
		}

		@Override
		public Session connectToServer(Class<? extends Endpoint> endpoint, ClientEndpointConfig config, URI path)
				throws DeploymentException, IOException {
			return this.container.connectToServer(endpoint, config, path);
		}

		@Override
		public long getDefaultMaxSessionIdleTimeout() {
			return this.container.getDefaultMaxSessionIdleTimeout();
		}

		@Override
		public void setDefaultMaxSessionIdleTimeout(long timeout) {
			this.container.setDefaultMaxSessionIdleTimeout(timeout);
		}

		@Override
		public int getDefaultMaxBinaryMessageBufferSize() {
			return this.container.getDefaultMaxBinaryMessageBufferSize();
		}

		@Override
		public void setDefaultMaxBinaryMessageBufferSize(int max) {
			this.container.setDefaultMaxBinaryMessageBufferSize(max);
		}

		@Override
		public int getDefaultMaxTextMessageBufferSize() {
			return this.container.getDefaultMaxTextMessageBufferSize();
		}

		@Override
		public void setDefaultMaxTextMessageBufferSize(int max) {
			this.container.setDefaultMaxTextMessageBufferSize(max);
		}

		@Override
		public Set<Extension> getInstalledExtensions() {
			return this.container.getInstalledExtensions();
		}

	}

}
