package dev.wsinfra.integration;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heap one hostile client can pin through its outbound queue, on a real server whose
 * echo endpoint takes 1 MiB messages: a client that uploads and never reads, and one that
 * reads far slower than it uploads. The write timeout is long, so only the queue's byte
 * budget bounds them.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "ws.auth.jwt.issuer-uri=" + TestTokens.ISSUER,
				"ws.auth.jwt.audiences=" + TestTokens.AUDIENCE, "ws.max-message-size=1MB", "ws.close-timeout=60s",
				"ws.ping-interval=0" })
class OutboundMemoryIntegrationTests {

	private static final int MESSAGE_SIZE = 1024 * 1024;

	private static final String MESSAGE = "m".repeat(MESSAGE_SIZE);

	// The budget (1 MiB) and one message in flight (1 MiB) pinned by the connection;
	// the message being assembled, the client's own buffers and the noise of a shared
	// JVM on top.
	private static final long ALLOWED_BYTES = 16L * 1024 * 1024;

	// Enough to pin ten times the allowance without a byte budget.
	private static final int MAX_MESSAGES = 160;

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	@Test
	void aClientThatNeverReadsPinsNoMoreThanTheBudgetAndIsClosed() throws Exception {
		// #11
		try (WsTestClient hoarder = client(this.port, "hoarder", true)) {
			long peak = peakHeapWhileSending(hoarder, this.manager, "hoarder", MAX_MESSAGES, 0);
			assertThat(peak).as("heap retained by a client that never reads, in bytes").isLessThan(ALLOWED_BYTES);
			assertThat(this.manager.isUserConnected("hoarder")).as("closed with 1013").isFalse();
		}
		assertServerStillEchoes(this.port);
	}

	@Test
	void aClientThatReadsSlowlyPinsNoMoreThanTheBudgetAndIsClosed() throws Exception {
		// #11: it reads a few parts of a message for each whole one it sends
		try (WsTestClient slow = client(this.port, "slow-reader", true)) {
			long peak = peakHeapWhileSending(slow, this.manager, "slow-reader", MAX_MESSAGES, 4);
			assertThat(peak).as("heap retained by a client that reads slowly, in bytes").isLessThan(ALLOWED_BYTES);
			assertThat(this.manager.isUserConnected("slow-reader")).as("closed with 1013").isFalse();
		}
		assertServerStillEchoes(this.port);
	}

	@Test
	void aClientThatNeverReadsSmallRepliesDoesNotHoldTheThreadThatReadsIt() throws Exception {
		// #11: a reply is written on the thread that received the message, which waits
		// for a peer that does not read only briefly; then the server goes on reading,
		// and the byte budget closes the connection, long before the 60 s write
		// timeout would
		String small = "s".repeat(16 * 1024);
		try (WsTestClient hoarder = client(this.port, "small-hoarder", true)) {
			await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> this.manager.isUserConnected("small-hoarder"));
			for (int i = 0; i < 4000 && this.manager.isUserConnected("small-hoarder") && sent(hoarder, small); i++) {
				// Upload until the server closes the connection.
			}
			await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> !this.manager.isUserConnected("small-hoarder"));
		}
		assertServerStillEchoes(this.port);
	}

	/**
	 * Sends 1 MiB messages until the given number is sent or the server closed the
	 * connection, letting the client read the given number of frame parts after each.
	 * @return the most heap retained meanwhile, above what was retained before
	 */
	static long peakHeapWhileSending(WsTestClient client, ConnectionManager manager, String user, int messages,
			int partsReadPerMessage) throws Exception {
		long baseline = retainedHeap();
		long peak = 0;
		await().atMost(WsTestClient.DEFAULT_TIMEOUT).until(() -> manager.isUserConnected(user));
		for (int i = 0; i < messages && manager.isUserConnected(user) && sent(client); i++) {
			if (partsReadPerMessage > 0) {
				client.request(partsReadPerMessage);
			}
			if (i % 8 == 7) {
				peak = Math.max(peak, retainedHeap() - baseline);
			}
		}
		return Math.max(peak, retainedHeap() - baseline);
	}

	static WsTestClient client(int port, String user, boolean stalled) throws Exception {
		WsTestClient.Builder builder = WsTestClient.to(URI.create("ws://127.0.0.1:" + port + "/user/echo"))
			.bearer(TestTokens.user(user).sign());
		return stalled ? builder.stalled().open() : builder.open();
	}

	static void assertServerStillEchoes(int port) throws Exception {
		try (WsTestClient bystander = client(port, "bystander", false)) {
			assertThat(bystander.nextText()).contains("\"type\":\"hello\"");
			bystander.send("still serving");
			assertThat(bystander.nextText()).isEqualTo("still serving");
		}
	}

	/**
	 * Sends the message, unless the server closed the connection meanwhile.
	 */
	static boolean sent(WsTestClient client) throws Exception {
		return sent(client, MESSAGE);
	}

	static boolean sent(WsTestClient client, String message) throws Exception {
		try {
			client.send(message);
			return true;
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	static long retainedHeap() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long least = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
		}
		return least;
	}

	/**
	 * A client that never reads when the policy drops the oldest messages: its connection
	 * stays open and what it pins stays within the budget.
	 */
	@Nested
	@TestPropertySource(properties = "ws.slow-consumer-policy=drop-oldest")
	class DropOldest {

		@LocalServerPort
		private int port;

		@Autowired
		private InMemoryConnectionManager manager;

		@Test
		void aClientThatNeverReadsKeepsItsConnectionAndPinsNoMoreThanTheBudget() throws Exception {
			// #11
			long droppedBefore = this.manager.droppedMessageCount();
			try (WsTestClient hoarder = client(this.port, "dropping-hoarder", true)) {
				long peak = peakHeapWhileSending(hoarder, this.manager, "dropping-hoarder", MAX_MESSAGES / 2, 0);
				assertThat(peak).as("heap retained by a client that never reads, in bytes").isLessThan(ALLOWED_BYTES);
				assertThat(this.manager.isUserConnected("dropping-hoarder")).isTrue();
				assertThat(this.manager.droppedMessageCount()).isGreaterThan(droppedBefore);
			}
			assertServerStillEchoes(this.port);
		}

	}

}
