package dev.wsinfra.samples.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.wsinfra.test.WsTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Many requests for the whole health at once ({@code /actuator/health}, with Spring
 * Boot's {@code redis} indicator), as load balancers' checks and operators' dashboards
 * send them during an outage: sent without waiting, each with a timeout.
 */
public final class HealthRequests {

	// How long each request may take before the client gives up.
	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	// How long the new connection may take to echo: much less than Lettuce's
	// default timeout.
	private static final Duration HANDSHAKE = Duration.ofSeconds(10);

	// Nearly all of Tomcat's 200 request threads.
	private static final int BUSY_THREADS = 190;

	private final List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();

	private HealthRequests() {
	}

	/**
	 * Asserts that a sample keeps serving while many health requests wait: sends them,
	 * waits until they hold the server's threads (or are answered), then opens a new
	 * connection to the public echo endpoint, which must echo within 10 s, and asks the
	 * readiness probe, which must answer 200; the health requests must all be answered
	 * 503.
	 * @param count how many health requests
	 * @param clients the sample's clients
	 * @param sample the sample
	 */
	public static void assertServingDuring(int count, SampleClients clients, RedisSample sample) {
		HealthRequests checks = send(clients, count);
		try {
			checks.arrivedAt(sample);
			assertTimeoutPreemptively(HANDSHAKE, () -> {
				WsTestClient echo = clients.connectAnonymously("/ws/echo");
				echo.send("still serving");
				assertThat(echo.nextText()).isEqualTo("still serving");
			});
			assertThat(clients.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
			await().atMost(TIMEOUT).until(checks::allDone);
			assertThat(checks.statuses()).hasSize(count).containsOnly(503);
		}
		finally {
			checks.cancel();
		}
	}

	private static HealthRequests send(SampleClients clients, int count) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		HealthRequests requests = new HealthRequests();
		for (int i = 0; i < count; i++) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(clients.http("/actuator/health")))
				.timeout(TIMEOUT)
				.GET()
				.build();
			requests.responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
		}
		return requests;
	}

	/**
	 * Waits until the requests hold nearly all the server's request threads, as they do
	 * once they all arrived if the server answers them slowly, or until they are all
	 * answered.
	 */
	private void arrivedAt(RedisSample sample) {
		await().atMost(TIMEOUT).until(() -> allDone() || sample.busyServerThreads() >= BUSY_THREADS);
	}

	private boolean allDone() {
		return this.responses.stream().allMatch(CompletableFuture::isDone);
	}

	private List<Integer> statuses() {
		return this.responses.stream().map((response) -> response.join().statusCode()).toList();
	}

	private void cancel() {
		this.responses.forEach((response) -> response.cancel(true));
	}

}
