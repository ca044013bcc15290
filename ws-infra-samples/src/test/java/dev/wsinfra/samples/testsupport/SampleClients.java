package dev.wsinfra.samples.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.test.WsTestClients;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real clients of one running sample: tokens from its {@code POST /dev/token}, and the
 * test kit's {@link WsTestClient} on its endpoints, closed by {@link #close()}.
 */
public final class SampleClients implements AutoCloseable {

	/** How long a test waits for an HTTP answer. */
	public static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PING = "{\"type\":\"ping\"}";

	private static final String PONG = "{\"type\":\"pong\"}";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	private final WsTestClients ws;

	public SampleClients(int port) {
		this.port = port;
		this.ws = WsTestClients.onPort(port);
	}

	public String http(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	/** Gets a token from the sample's token endpoint. */
	public String token(String user, String... scopes) {
		HttpResponse<String> response = post("/dev/token", Map.of("user", user, "scopes", List.of(scopes)), null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body()).path("token").asString();
	}

	/** Posts JSON, with a bearer token when one is given. */
	public HttpResponse<String> post(String path, Object body, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http(path)))
			.timeout(WAIT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(http(path))).timeout(WAIT).GET().build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts a client to an endpoint, closed by {@link #close()} once opened.
	 * @param path the endpoint's path
	 * @return the client's builder
	 */
	public WsTestClient.Builder to(String path) {
		return this.ws.to(path);
	}

	/** Connects to an endpoint as a user, with a token in the Authorization header. */
	public WsTestClient connect(String path, String user) {
		return to(path).bearer(token(user)).open();
	}

	/** Connects to a public endpoint without credentials. */
	public WsTestClient connectAnonymously(String path) {
		return this.ws.open(path);
	}

	/**
	 * Returns the next message, which must come within
	 * {@link WsTestClient#DEFAULT_TIMEOUT}.
	 */
	public static JsonNode next(WsTestClient client) {
		return client.nextJson();
	}

	/** Returns the next message of a type, skipping the others. */
	public static JsonNode next(WsTestClient client, String type) {
		return client.awaitJson((json) -> type.equals(json.path("type").asString()));
	}

	/**
	 * Asserts that nothing arrived that the test did not take: every JSON endpoint of the
	 * sample answers the heartbeat {@code {"type":"ping"}} with {@code {"type":"pong"}}
	 * through the connection's ordered queue, so anything queued for the client before
	 * the ping was handled arrives before the pong.
	 */
	public static void assertNothingMore(WsTestClient client) {
		client.assertNothingBeforeReplyTo(PING, (reply) -> reply.equals(PONG));
	}

	/** Asserts that the server closes the connection with a code. */
	public static void assertClosedWith(WsTestClient client, int code) {
		assertThat(client.awaitClose().code()).isEqualTo(code);
	}

	@Override
	public void close() {
		this.ws.close();
	}

}
