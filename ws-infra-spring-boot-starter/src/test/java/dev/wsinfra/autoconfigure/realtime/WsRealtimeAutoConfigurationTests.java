package dev.wsinfra.autoconfigure.realtime;

import java.time.Duration;
import java.util.List;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.endpoint.WsRoutes;
import dev.wsinfra.realtime.RealtimeProvider;
import dev.wsinfra.security.WsAuth;
import dev.wsinfra.testsupport.Failures;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;

import static org.assertj.core.api.Assertions.assertThat;

class WsRealtimeAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class, WsRealtimeAutoConfiguration.class));

	@Test // #17
	void isOffUnlessEnabled() {
		this.contextRunner.withPropertyValues("ws.realtime.api-key=k")
			.run((context) -> assertThat(context).doesNotHaveBean(RealtimeRelayHandler.class)
				.doesNotHaveBean(WsRoutes.class));
	}

	@Test // #17
	void servesTheRelayAtItsPathWithItsPolicyAndUnmanaged() {
		this.contextRunner
			.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.api-key=k", "ws.realtime.path=/voice",
					"ws.realtime.auth=scopes", "ws.realtime.scopes=voice")
			.run((context) -> {
				assertThat(context).hasSingleBean(RealtimeRelayHandler.class);
				assertThat(context.getBean(RealtimeProvider.class)).isInstanceOf(OpenAiRealtimeProvider.class);
				List<WsRoutes.Route> routes = context.getBean("wsRealtimeRoutes", WsRoutes.class).routes();
				assertThat(routes).singleElement().satisfies((route) -> {
					assertThat(route.path()).isEqualTo("/voice");
					assertThat(route.auth()).isEqualTo(WsAuth.SCOPES);
					assertThat(route.scopes()).containsExactly("voice");
					assertThat(route.managed()).isFalse();
				});
			});
	}

	@Test // #17
	void geminiIsChosenByName() {
		this.contextRunner.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.provider=gemini")
			.withInitializer((context) -> TestPropertyValues.of("GEMINI_API_KEY=g")
				.applyTo(context.getEnvironment(), TestPropertyValues.Type.SYSTEM_ENVIRONMENT))
			.run((context) -> assertThat(context.getBean(RealtimeProvider.class))
				.isInstanceOf(GeminiLiveProvider.class));
	}

	@Test // #17
	void anApplicationProviderReplacesTheBuiltInOnes() {
		RealtimeProvider own = new GeminiLiveProvider();
		this.contextRunner.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.api-key=k")
			.withBean(RealtimeProvider.class, () -> own)
			.run((context) -> assertThat(context.getBean(RealtimeProvider.class)).isSameAs(own));
	}

	@Test // #17
	void anUnknownProviderFailsNamingTheKey() {
		this.contextRunner
			.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.api-key=k", "ws.realtime.provider=acme")
			.run((context) -> assertThat(Failures.messages(context.getStartupFailure()))
				.contains("ws.realtime.provider must be 'openai' or 'gemini'"));
	}

	@Test // #17
	void aMissingKeyFailsNamingWhereToSetIt() {
		this.contextRunner.withPropertyValues("ws.realtime.enabled=true")
			.run((context) -> assertThat(Failures.messages(context.getStartupFailure()))
				.contains("set ws.realtime.api-key (WS_REALTIME_API_KEY) or OPENAI_API_KEY"));
	}

	@Test // #17
	void theKeyIsTakenFromTheEnvironmentByItsRelayName() {
		this.contextRunner.withPropertyValues("ws.realtime.enabled=true")
			.withInitializer((context) -> TestPropertyValues.of("WS_REALTIME_API_KEY=from-env", "OPENAI_API_KEY=other")
				.applyTo(context.getEnvironment(), TestPropertyValues.Type.SYSTEM_ENVIRONMENT))
			.run((context) -> {
				WsRealtimeProperties properties = context.getBean(WsRealtimeProperties.class);
				assertThat(WsRealtimeAutoConfiguration.apiKey(properties, new OpenAiRealtimeProvider(),
						context.getEnvironment()))
					.isEqualTo("from-env");
			});
	}

	@Test // #17
	void badValuesFailNamingTheKeyButNeverTheUrlsQuery() {
		this.contextRunner
			.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.api-key=k", "ws.realtime.provider-timeout=0s")
			.run((context) -> assertThat(Failures.messages(context.getStartupFailure()))
				.contains("ws.realtime.provider-timeout must be a positive duration, was PT0S"));
		this.contextRunner
			.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.api-key=k",
					"ws.realtime.url=https://proxy.test/v1?key=secret-1")
			.run((context) -> assertThat(Failures.messages(context.getStartupFailure()))
				.contains("ws.realtime.url must be a ws:// or wss:// URL, was a URL of scheme https")
				.doesNotContain("secret-1"));
	}

	@Test // #17
	void theProviderConnectionFindsAStallWithinTheProviderTimeout() {
		this.contextRunner
			.withPropertyValues("ws.realtime.enabled=true", "ws.realtime.api-key=k", "ws.realtime.provider-timeout=6",
					"ws.realtime.provider-queue-size=8")
			.run((context) -> {
				WsRealtimeProperties properties = context.getBean(WsRealtimeProperties.class);
				WebSocketConfig config = WsRealtimeAutoConfiguration.upstreamConfig(WebSocketConfig.defaults(),
						properties);
				assertThat(config.pingInterval()).contains(Duration.ofSeconds(3));
				assertThat(config.pingTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.maxSendQueueSize()).isEqualTo(8);
				assertThat(config.maxMessageSize()).isEqualTo(16 * 1024 * 1024);
				assertThat(config.reconnectEnabled()).isFalse();
				assertThat(RealtimeRelayHandler.sweepPeriod(properties)).isEqualTo(Duration.ofSeconds(1));
			});
	}

}
