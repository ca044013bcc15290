package dev.wsinfra.integration;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter serves ws-infra.js and its declarations at {@code /ws-infra/}, with an ETag
 * that lets browsers keep it.
 */
@WsIntegrationTest
class JsClientServingIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream input = new ClassPathResource("META-INF/ws-infra/js/" + name).getInputStream()) {
			return input.readAllBytes();
		}
	}

	@Test // #16
	void theScriptIsServedAsJavaScriptWithAnEtagAndRevalidatedWith304() throws Exception {
		HttpResponse<byte[]> first = send(request("/ws-infra/ws-infra.js"));
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo(resource("ws-infra.js"));
		assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type.toLowerCase()).startsWith("text/javascript").contains("charset=utf-8"));
		assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
		String etag = first.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).matches("\"[0-9a-f]{32}\"");

		HttpResponse<byte[]> again = send(request("/ws-infra/ws-infra.js").header("If-None-Match", etag));
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		HttpResponse<byte[]> weak = send(request("/ws-infra/ws-infra.js").header("If-None-Match", "\"x\", W/" + etag));
		assertThat(weak.statusCode()).isEqualTo(304);
		HttpResponse<byte[]> stale = send(request("/ws-infra/ws-infra.js").header("If-None-Match", "\"other\""));
		assertThat(stale.statusCode()).isEqualTo(200);
	}

	@Test // #16
	void theDeclarationsAreServedBesideTheScript() throws Exception {
		HttpResponse<byte[]> declarations = send(request("/ws-infra/ws-infra.d.ts"));
		assertThat(declarations.statusCode()).isEqualTo(200);
		assertThat(declarations.body()).isEqualTo(resource("ws-infra.d.ts"));
		assertThat(declarations.headers().firstValue("ETag"))
			.isNotEqualTo(send(request("/ws-infra/ws-infra.js")).headers().firstValue("ETag"));
	}

	@Test // #16
	void headAnswersWithoutBody() throws Exception {
		HttpResponse<byte[]> head = send(
				request("/ws-infra/ws-infra.js").method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.body()).isEmpty();
		assertThat(head.headers().firstValue("Content-Length"))
			.hasValue(String.valueOf(resource("ws-infra.js").length));
	}

}
