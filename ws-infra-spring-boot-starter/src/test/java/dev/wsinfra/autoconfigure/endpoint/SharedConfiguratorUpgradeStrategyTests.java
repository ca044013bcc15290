package dev.wsinfra.autoconfigure.endpoint;

import java.util.List;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.server.standard.ServerEndpointRegistration;

import static org.assertj.core.api.Assertions.assertThat;

class SharedConfiguratorUpgradeStrategyTests {

	private final SharedConfiguratorUpgradeStrategy strategy = new SharedConfiguratorUpgradeStrategy();

	@Test
	void everyUpgradeSharesOneContainerDefaultConfigurator() {
		ServerEndpointConfig first = this.strategy.withSharedDefault(registration("/a"));
		ServerEndpointConfig second = this.strategy.withSharedDefault(registration("/b"));

		ServerEndpointConfig.Configurator shared = first.getConfigurator().getContainerDefaultConfigurator();
		assertThat(shared).isNotNull();
		assertThat(second.getConfigurator().getContainerDefaultConfigurator()).isSameAs(shared);
		assertThat(first.getConfigurator().checkOrigin("https://example.test")).isTrue();
		assertThat(first.getConfigurator().getNegotiatedSubprotocol(List.of("chat", "bearer"), List.of("bearer")))
			.isEqualTo("bearer");
	}

	@Test
	void keepsEverythingElseOfTheOriginalConfiguration() throws Exception {
		Endpoint endpoint = new NoopEndpoint();
		ServerEndpointRegistration registration = new ServerEndpointRegistration("/ws/x", endpoint);
		registration.setSubprotocols(List.of("bearer"));
		registration.getUserProperties().put("key", "value");

		ServerEndpointConfig config = this.strategy.withSharedDefault(registration);

		assertThat(config.getPath()).isEqualTo("/ws/x");
		assertThat(config.getEndpointClass()).isEqualTo(NoopEndpoint.class);
		assertThat(config.getSubprotocols()).containsExactly("bearer");
		assertThat(config.getUserProperties()).containsEntry("key", "value");
		assertThat(config.getConfigurator().getEndpointInstance(NoopEndpoint.class)).isSameAs(endpoint);
	}

	private static ServerEndpointRegistration registration(String path) {
		return new ServerEndpointRegistration(path, new NoopEndpoint());
	}

	static final class NoopEndpoint extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
		}

	}

}
