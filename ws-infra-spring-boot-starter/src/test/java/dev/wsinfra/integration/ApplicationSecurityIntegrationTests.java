package dev.wsinfra.integration;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import dev.wsinfra.test.RawWebSocket;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with its own Spring Security filter chain that authenticates every
 * request: its HTTP endpoints stay protected, even those on the path of a WebSocket
 * endpoint, and the WebSocket endpoints still work with ws-infra's own authentication.
 */
@SpringBootTest(classes = { TestApplication.class, ApplicationSecurityIntegrationTests.AppSecurity.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ws.auth.jwt.secret=" + TestTokens.SECRET)
class ApplicationSecurityIntegrationTests {

	private static final String ADMIN = "Basic "
			+ Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	private int port;

	@Test
	void applicationChainStillProtectsHttpAndWebSocketsUseTheirOwnAuthentication() throws Exception {
		HttpResponse<String> hello = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(hello.statusCode()).isEqualTo(401);
		URI endpoint = URI.create("ws://127.0.0.1:" + this.port + "/user/echo");
		try (WsTestClient client = WsTestClient.to(endpoint).bearer(TestTokens.user("secured").sign()).open()) {
			assertThat(client.nextText()).contains("\"user\":\"secured\"");
		}
		assertThat(WsTestClient.to(endpoint).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void restEndpointOnAWebSocketPathStaysWithTheApplicationChain() throws Exception {
		// #4
		URI room = URI.create("http://127.0.0.1:" + this.port + "/public/rooms/lobby?token=app-value");
		assertThat(send(HttpRequest.newBuilder(room).GET()).statusCode()).isEqualTo(401);
		assertThat(send(HttpRequest.newBuilder(room).POST(HttpRequest.BodyPublishers.noBody())).statusCode())
			.as("refused by the application's chain, whose CSRF check comes first")
			.isEqualTo(403);
		HttpResponse<String> read = send(HttpRequest.newBuilder(room).header("Authorization", ADMIN).GET());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).as("the application's own query parameter").isEqualTo("lobby:app-value");
		assertThat(send(
				HttpRequest.newBuilder(room).header("Authorization", ADMIN).POST(HttpRequest.BodyPublishers.noBody()))
			.statusCode()).as("a POST without a CSRF token").isEqualTo(403);
	}

	@Test
	void aHandshakeHeaderDoesNotLetARequestPastTheApplicationChainToItsController() throws Exception {
		// #4: the application's chain does not see handshakes; one on the path of
		// an application's GET mapping must reach the WebSocket endpoint, never
		// the controller
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET /public/rooms/lobby?token=app-value HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
						+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String statusLine = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			assertThat(statusLine).startsWith("HTTP/1.1 101");
		}
	}

	@Test
	void aHandshakeToAnEndpointPathWithATrailingSlashStaysWithTheApplicationChain() throws Exception {
		// #11: ws-infra masks its credentials, but it is not a handshake to the endpoint
		try (RawWebSocket raw = RawWebSocket.connect(this.port, "/public/rooms/lobby/?token=app-value", Map.of())) {
			assertThat(raw.status()).isEqualTo(401);
		}
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class AppSecurity {

		@Bean
		SecurityFilterChain appChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("admin").password("{noop}secret").roles("ADMIN").build());
		}

		@Bean
		RoomController roomController() {
			return new RoomController();
		}

	}

	/** REST endpoints of the application on the path of a WebSocket endpoint. */
	@RestController
	static class RoomController {

		@GetMapping("/public/rooms/{room}")
		String read(@PathVariable String room, @RequestParam String token) {
			return room + ":" + token;
		}

		@PostMapping("/public/rooms/{room}")
		String post(@PathVariable String room) {
			return "posted to " + room;
		}

	}

}
