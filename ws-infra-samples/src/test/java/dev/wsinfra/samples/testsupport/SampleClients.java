package dev.wsinfra.samples.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.wsinfra.ConnectionClosedException;
import dev.wsinfra.WebSocketMessage;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Real clients of one running sample: tokens from its {@code POST /dev/token}, and
 * ws-infra's own {@link WebSocketClient} on its endpoints, closed by {@link #close()}.
 */
public final class SampleClients implements AutoCloseable {

	/** How long a test waits for a message that must come. */
	public static final Duration WAIT = Duration.ofSeconds(10);

	/** How long a test listens for a message that must not come. */
	public static final Duration QUIET = Duration.ofMillis(400);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final WebSocketConfig CONFIG = WebSocketConfig.builder()
		.reconnectEnabled(false)
		.maxMessageSize(4 * 1024 * 1024)
		.build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	private final List<WebSocketClient> clients = new ArrayList<>();

	public SampleClients(int port) {
		this.port = port;
	}

	public String http(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	public String ws(String path) {
		return "ws://127.0.0.1:" + this.port + path;
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

	/** Connects to an endpoint as a user, with a token in the Authorization header. */
	public WebSocketClient connect(String path, String user) {
		return connect(path, WebSocketClient.builder(ws(path)).header("Authorization", "Bearer " + token(user)));
	}

	/** Connects to a public endpoint without credentials. */
	public WebSocketClient connectAnonymously(String path) {
		return connect(path, WebSocketClient.builder(ws(path)));
	}

	private WebSocketClient connect(String path, WebSocketClient.Builder builder) {
		WebSocketClient client = builder.config(CONFIG).open();
		this.clients.add(client);
		return client;
	}

	/** Returns the next message, which must come within {@link #WAIT}. */
	public static JsonNode next(WebSocketClient client) {
		Optional<WebSocketMessage> message = client.recv(WAIT);
		assertThat(message).as("a message within " + WAIT).isPresent();
		return message.get().json();
	}

	/** Returns the next message of a type, skipping the others, within {@link #WAIT}. */
	public static JsonNode next(WebSocketClient client, String type) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			Optional<WebSocketMessage> message = client.recv(Duration.ofNanos(deadline - System.nanoTime()));
			if (message.isPresent() && type.equals(message.get().json().path("type").asString())) {
				return message.get().json();
			}
		}
		throw new AssertionError("no message of type " + type + " within " + WAIT);
	}

	/** Asserts that nothing arrives within {@link #QUIET}. */
	public static void assertNothingMore(WebSocketClient client) {
		assertThat(client.recv(QUIET)).as("no further message").isEmpty();
	}

	/** Asserts that the server closes the connection with a code. */
	public static void assertClosedWith(WebSocketClient client, int code) {
		assertThatExceptionOfType(ConnectionClosedException.class).isThrownBy(() -> {
			while (true) {
				client.recv(WAIT).orElseThrow(() -> new AssertionError("no close within " + WAIT));
			}
		}).satisfies((ex) -> assertThat(ex.code()).isEqualTo(code));
	}

	@Override
	public void close() {
		for (WebSocketClient client : this.clients) {
			client.close();
		}
	}

}
