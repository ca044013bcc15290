package dev.wsinfra.integration;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown: closing the context sends every client the seed's notice and a 1001
 * close, in batches spread over the drain period, before the web server stops.
 */
class ShutdownIntegrationTests {

	@Test
	void contextCloseNotifiesAndClosesEveryConnectionInBatches() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.shutdown.batch-size=4",
					"ws.shutdown.drain-period=1500ms", "ws.ping-interval=0")
			.run();
		List<WsTestClient> clients = new ArrayList<>();
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			for (int i = 0; i < 10; i++) {
				WsTestClient client = WsTestClient.open(URI.create("ws://127.0.0.1:" + port + "/public/echo"));
				client.nextText();
				clients.add(client);
			}
			WsTestClient appManaged = WsTestClient.to(URI.create("ws://127.0.0.1:" + port + "/app-managed"))
				.bearer(TestTokens.user("managed-by-app").sign())
				.open();
			appManaged.nextText();
			clients.add(appManaged);
			long closing = System.nanoTime();
			context.close();
			long first = Long.MAX_VALUE;
			long last = Long.MIN_VALUE;
			for (WsTestClient client : clients) {
				assertThat(client.nextText()).isEqualTo("{\"type\":\"system\",\"message\":\"Server shutting down\"}");
				WsTestClient.Close close = client.awaitClose();
				assertThat(close.code()).isEqualTo(1001);
				assertThat(close.reason()).isEqualTo("Server shutting down");
				first = Math.min(first, close.receivedAt());
				last = Math.max(last, close.receivedAt());
			}
			assertThat(first).isGreaterThanOrEqualTo(closing);
			assertThat(last - first).as("three batches spread over the drain period").isGreaterThan(500_000_000L);
		}
		finally {
			clients.forEach(WsTestClient::close);
			context.close();
		}
	}

	@Test
	void pausedAndRestartedContextKeepsServingLikeTheWebServer() throws Exception {
		// #4
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.properties("server.port=0", "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.ping-interval=0")
			.run()) {
			URI endpoint = URI.create("ws://127.0.0.1:"
					+ ((WebServerApplicationContext) context).getWebServer().getPort() + "/public/echo");
			try (WsTestClient open = WsTestClient.open(endpoint)) {
				open.nextText();
				context.pause();
				open.send("while paused");
				assertThat(open.nextText()).isEqualTo("while paused");
				context.restart();
				try (WsTestClient after = WsTestClient.open(endpoint)) {
					assertThat(after.nextText()).contains("hello");
				}
			}
		}
	}

}
