package dev.wsinfra.autoconfigure.jsclient;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

class WsJsClientAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsJsClientAutoConfiguration.class));

	@Test // #16
	void servesTheClientUnderWsInfraByDefault() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(WsJsClientAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, SimpleUrlHandlerMapping.class)
					.getUrlMap())
			.containsOnlyKeys("/ws-infra/ws-infra.js", "/ws-infra/ws-infra.d.ts"));
	}

	@Test // #16
	void aPropertyMovesTheClient() {
		this.contextRunner.withPropertyValues("ws.js-client.path=/static/realtime")
			.run((context) -> assertThat(context
				.getBean(WsJsClientAutoConfiguration.HANDLER_MAPPING_BEAN_NAME, SimpleUrlHandlerMapping.class)
				.getUrlMap()).containsOnlyKeys("/static/realtime/ws-infra.js", "/static/realtime/ws-infra.d.ts"));
	}

	@Test // #16
	void aPropertyTurnsItOff() {
		this.contextRunner.withPropertyValues("ws.js-client.enabled=false")
			.run((context) -> assertThat(context)
				.doesNotHaveBean(WsJsClientAutoConfiguration.HANDLER_MAPPING_BEAN_NAME));
	}

	@Test // #16
	void aPathWithATrailingSlashIsRefused() {
		this.contextRunner.withPropertyValues("ws.js-client.path=/static/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("ws.js-client.path must start with '/', not end with '/'"));
	}

}
