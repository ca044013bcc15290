package dev.wsinfra.test;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WsTestClientsTestExecutionListener}: a client that one test method
 * opened is closed before the next one runs.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WsTestClientsTestExecutionListenerIntegrationTests {

	private static final AtomicReference<String> leftOpen = new AtomicReference<>();

	@Autowired
	private WsTestClients clients;

	@Test // #12
	@Order(1)
	void opensAClientAndLeavesItOpen() {
		WsTestClient client = this.clients.open("/echo");
		leftOpen.set(WsTestClientIntegrationTests.sessionId(client));
		assertThat(EchoApplication.open).contains(leftOpen.get());
	}

	@Test // #12
	@Order(2)
	void theClientOfThePreviousTestWasClosed() {
		assertThat(leftOpen.get()).isNotNull();
		await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> !EchoApplication.open.contains(leftOpen.get()));
	}

}
