package dev.wsinfra.autoconfigure.endpoint.tomcat;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.autoconfigure.endpoint.WsEndpointAutoConfiguration;
import dev.wsinfra.endpoint.WsEndpoint;
import jakarta.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerBuffersTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsEndpointAutoConfiguration.class));

	@Test
	void containerBuffersAreSmallWhenWsInfraEndpointsAreTheOnlyOnes() {
		this.contextRunner.withUserConfiguration(Endpoints.class).run((context) -> {
			ContainerBuffers buffers = context.getBean(ContainerBuffers.class);
			assertThat(buffers.applicationEndpoints()).isEmpty();
			assertThat(buffers.sessionSize()).isEqualTo(1024);
			assertThat(buffers.containerSize()).isEqualTo(1024);
		});
		this.contextRunner.withUserConfiguration(Endpoints.class)
			.withPropertyValues("ws.tomcat.message-buffer-size=512B")
			.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize()).isEqualTo(512));
		this.contextRunner.withUserConfiguration(Endpoints.class)
			.withPropertyValues("ws.permessage-deflate=true", "ws.max-message-size=64KB")
			.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize()).isEqualTo(65536));
	}

	@Test
	void containerBuffersGoBackToTomcatsForTheApplicationsOwnEndpoints() {
		// #4
		withTomcatProperty("1024", () -> {
			this.contextRunner.withUserConfiguration(Endpoints.class, OwnHandler.class).run((context) -> {
				ContainerBuffers buffers = context.getBean(ContainerBuffers.class);
				assertThat(buffers.applicationEndpoints()).contains("webSocketHandlerMapping");
				assertThat(buffers.sessionSize()).isEqualTo(1024);
				assertThat(buffers.containerSize()).isEqualTo(8192);
			});
			this.contextRunner.withUserConfiguration(Endpoints.class)
				.withBean(PojoEndpoint.class)
				.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize()).isEqualTo(8192));
			this.contextRunner.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize())
				.as("without endpoints of ws-infra's")
				.isEqualTo(8192));
		});
		withTomcatProperty(null,
				() -> this.contextRunner.withUserConfiguration(Endpoints.class, OwnHandler.class)
					.withPropertyValues("ws.tomcat.default-buffer-size=0")
					.run((context) -> assertThat(context.getBean(ContainerBuffers.class).containerSize())
						.as("the container's own")
						.isNotPositive()));
	}

	private static void withTomcatProperty(String value, Runnable action) {
		String previous = System.getProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY);
		setTomcatProperty(value);
		try {
			action.run();
		}
		finally {
			setTomcatProperty(previous);
		}
	}

	private static void setTomcatProperty(String value) {
		if (value != null) {
			System.setProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY, value);
		}
		else {
			System.clearProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Endpoints {

		@Bean
		@WsEndpoint("/feed")
		TextWebSocketHandler feed() {
			return new TextWebSocketHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandler {

		@Configuration(proxyBeanMethods = false)
		@EnableWebSocket
		static class Config implements WebSocketConfigurer {

			@Override
			public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
				registry.addHandler(new TextWebSocketHandler(), "/own");
			}

		}

	}

	@ServerEndpoint("/pojo")
	static class PojoEndpoint {

	}

}
