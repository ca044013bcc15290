package dev.wsinfra.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

class WsClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsClientAutoConfiguration.class));

	@Test
	void factoryStartsFromTheWsProperties() {
		this.contextRunner.withPropertyValues("ws.open-timeout=3s", "ws.ping-interval=0", "ws.max-send-queue-size=8")
			.run((context) -> {
				WebSocketConfig config = context.getBean(WsClientFactory.class).config();
				assertThat(config.openTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.pingInterval()).isEmpty();
				assertThat(config.maxSendQueueSize()).isEqualTo(8);
				assertThat(config).isSameAs(context.getBean(WebSocketConfig.class));
			});
	}

	@Test
	void customizersApplyInOrderToEveryBuilder() {
		List<String> calls = new ArrayList<>();
		this.contextRunner.withBean("second", WsClientCustomizer.class, () -> new Named("second", calls))
			.withBean("first", WsClientCustomizer.class, () -> new First(calls))
			.run((context) -> {
				WsClientFactory factory = context.getBean(WsClientFactory.class);
				factory.builder("ws://127.0.0.1:1/ws");
				assertThat(calls).containsExactly("first", "second");
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesAFactory() {
		WsClientFactory own = new WsClientFactory(WebSocketConfig.defaults(), JsonMapper.builder().build(), List.of());
		this.contextRunner.withBean(WsClientFactory.class, () -> own)
			.run((context) -> assertThat(context.getBean(WsClientFactory.class)).isSameAs(own));
	}

	@Test
	void backsOffWithoutTyrus() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.glassfish.tyrus"))
			.run((context) -> assertThat(context).doesNotHaveBean(WsClientFactory.class));
	}

	private static class Named implements WsClientCustomizer {

		private final String name;

		private final List<String> calls;

		Named(String name, List<String> calls) {
			this.name = name;
			this.calls = calls;
		}

		@Override
		public void customize(WebSocketClient.Builder builder) {
			this.calls.add(this.name);
		}

	}

	@Order(1)
	private static final class First extends Named {

		First(List<String> calls) {
			super("first", calls);
		}

	}

}
