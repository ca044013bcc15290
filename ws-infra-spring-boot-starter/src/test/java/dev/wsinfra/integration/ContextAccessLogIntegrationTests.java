package dev.wsinfra.integration;

import java.nio.file.Path;
import java.time.Duration;

import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.testsupport.AccessLogs;
import dev.wsinfra.testsupport.TestTokens;
import org.apache.catalina.valves.AccessLogValve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An access log of the application's context rather than of Tomcat's engine: Tomcat hands
 * it the requests that it refuses before routing them when the engine logs none itself,
 * and ws-infra's masking valve, an access log of the engine, keeps it so.
 */
@SpringBootTest(classes = { TestApplication.class, ContextAccessLogIntegrationTests.ContextAccessLog.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ws.auth.jwt.secret=" + TestTokens.SECRET)
class ContextAccessLogIntegrationTests {

	@TempDir
	static Path accessLogs;

	@LocalServerPort
	private int port;

	@Test
	void requestTomcatRefusesBeforeRoutingReachesTheContextAccessLogMasked() throws Exception {
		// #11
		String token = TestTokens.user("oversized").sign();
		assertThat(RawWebSocket.statusWithOversizedHeaders(this.port, "/protected/echo?token=" + token)).isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> AccessLogs.read(accessLogs).contains(" 400 "));
		assertThat(AccessLogs.read(accessLogs)).contains("/protected/echo?token=***").doesNotContain(token);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ContextAccessLog {

		@Bean
		TomcatContextCustomizer contextAccessLog() {
			return (context) -> {
				AccessLogValve valve = new AccessLogValve();
				valve.setDirectory(accessLogs.toString());
				valve.setPattern("%r %s %q");
				valve.setBuffered(false);
				context.getPipeline().addValve(valve);
			};
		}

	}

}
