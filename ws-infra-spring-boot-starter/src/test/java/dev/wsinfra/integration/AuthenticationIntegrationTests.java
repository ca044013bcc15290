package dev.wsinfra.integration;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every policy and every token carrier against a real server, with real clients: accepted
 * handshakes carry the principal to the handler, rejected ones get 401 or 403 and never
 * upgrade.
 */
@WsIntegrationTest
class AuthenticationIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private URI uri(String pathAndQuery) {
		return URI.create("ws://127.0.0.1:" + this.port + pathAndQuery);
	}

	private JsonNode hello(WsTestClient client) throws Exception {
		JsonNode hello = this.json.readTree(client.nextText());
		assertThat(hello.path("type").asString()).isEqualTo("hello");
		return hello;
	}

	@Test
	void publicEndpointNeedsNoCredentialsAndIgnoresThem() throws Exception {
		try (WsTestClient client = WsTestClient.open(uri("/public/echo?token=not-a-jwt"))) {
			assertThat(hello(client).path("user").isNull()).isTrue();
			client.send("ping?");
			assertThat(client.nextText()).isEqualTo("ping?");
		}
	}

	@Test
	void publicEndpointIgnoresEvenAMalformedBearerSubprotocol() throws Exception {
		// #4
		try (WsTestClient client = WsTestClient.to(uri("/public/echo")).subprotocols("bearer", "%%%").open()) {
			assertThat(client.subprotocol()).isEqualTo("bearer");
			assertThat(hello(client).path("user").isNull()).isTrue();
		}
	}

	@Test
	void protectedEndpointAcceptsTokenInQueryParameter() throws Exception {
		String token = TestTokens.user("alice").email("alice@example.test").scope("chat:write profile").sign();
		try (WsTestClient client = WsTestClient.open(uri("/protected/echo?token=" + token))) {
			JsonNode hello = hello(client);
			assertThat(hello.path("user").asString()).isEqualTo("alice");
			assertThat(hello.path("name").asString()).isEqualTo("alice");
			assertThat(hello.path("email").asString()).isEqualTo("alice@example.test");
			assertThat(hello.path("scopes").valueStream().map(JsonNode::asString))
				.containsExactlyInAnyOrder("chat:write", "profile");
		}
	}

	@Test
	void protectedEndpointAcceptsTokenInAuthorizationHeader() throws Exception {
		String token = TestTokens.user("bob").sign();
		try (WsTestClient client = WsTestClient.to(uri("/protected/echo")).bearer(token).open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("bob");
			assertThat(client.subprotocol()).isEmpty();
		}
	}

	@Test
	void protectedEndpointAcceptsTokenInSubprotocolAndSelectsBearer() throws Exception {
		String token = TestTokens.user("carol").sign();
		try (WsTestClient client = WsTestClient.to(uri("/protected/echo")).subprotocols("bearer", token).open()) {
			assertThat(client.subprotocol()).isEqualTo("bearer");
			assertThat(hello(client).path("user").asString()).isEqualTo("carol");
		}
	}

	@Test
	void protectedEndpointAcceptsBase64UrlTokenInSubprotocol() throws Exception {
		String token = TestTokens.user("dave").sign();
		String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
		try (WsTestClient client = WsTestClient.to(uri("/protected/echo")).subprotocols("bearer", encoded).open()) {
			assertThat(client.subprotocol()).isEqualTo("bearer");
			assertThat(hello(client).path("user").asString()).isEqualTo("dave");
		}
	}

	@Test
	void subprotocolValueThatIsNeitherJwtNorBase64UrlIsRejected() throws Exception {
		assertThat(WsTestClient.to(uri("/protected/echo")).subprotocols("bearer", "%%%").openRefused().statusCode())
			.isEqualTo(401);
	}

	@Test
	void protectedEndpointAcceptsApiKeyInHeaderOrQuery() throws Exception {
		try (WsTestClient client = WsTestClient.to(uri("/protected/echo"))
			.header("X-API-Key", TestApplication.API_KEY)
			.open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("service-1");
		}
		try (WsTestClient client = WsTestClient.open(uri("/protected/echo?api_key=" + TestApplication.API_KEY))) {
			assertThat(hello(client).path("user").asString()).isEqualTo("service-1");
		}
	}

	@Test
	void protectedEndpointRejectsWrongApiKeyAndMissingCredentials() throws Exception {
		assertThat(WsTestClient.to(uri("/protected/echo")).header("X-API-Key", "wrong").openRefused().statusCode())
			.isEqualTo(401);
		assertThat(WsTestClient.to(uri("/protected/echo")).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void userEndpointRejectsApiKeysAndAcceptsTokens() throws Exception {
		assertThat(WsTestClient.to(uri("/user/echo"))
			.header("X-API-Key", TestApplication.API_KEY)
			.openRefused()
			.statusCode()).isEqualTo(401);
		try (WsTestClient client = WsTestClient.to(uri("/user/echo")).bearer(TestTokens.user("erin").sign()).open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("erin");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "expired", "forged", "none", "issuer", "audience", "notYetValid", "garbage" })
	void invalidTokensAreRejectedWith401(String kind) throws Exception {
		String token = switch (kind) {
			case "expired" -> TestTokens.user("frank").expiresIn(Duration.ofSeconds(-30)).sign();
			case "forged" -> TestTokens.user("frank").signWith("another-secret-of-enough-length-0123456789");
			case "none" -> TestTokens.unsigned("frank");
			case "issuer" -> TestTokens.user("frank").issuer("https://evil.test").sign();
			case "audience" -> TestTokens.user("frank").audience("someone-else").sign();
			case "notYetValid" -> TestTokens.user("frank").notBefore(Instant.now().plusSeconds(600)).sign();
			default -> "not.a.jwt";
		};
		assertThat(WsTestClient.to(uri("/protected/echo?token=" + token)).openRefused().statusCode()).isEqualTo(401);
		assertThat(WsTestClient.to(uri("/optional/echo")).bearer(token).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void scopesEndpointNeedsAllScopes() throws Exception {
		String partial = TestTokens.user("gina").scope("admin:read").sign();
		assertThat(WsTestClient.to(uri("/admin/echo")).bearer(partial).openRefused().statusCode()).isEqualTo(403);
		String full = TestTokens.user("gina").scp(List.of("admin:read", "admin:write")).sign();
		try (WsTestClient client = WsTestClient.to(uri("/admin/echo")).bearer(full).open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("gina");
		}
		assertThat(WsTestClient.to(uri("/admin/echo")).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void anyScopeEndpointNeedsOneOfTheScopes() throws Exception {
		String none = TestTokens.user("hank").scope("profile").sign();
		assertThat(WsTestClient.to(uri("/reports/echo")).bearer(none).openRefused().statusCode()).isEqualTo(403);
		String one = TestTokens.user("hank").scope("profile admin:read").sign();
		try (WsTestClient client = WsTestClient.to(uri("/reports/echo")).bearer(one).open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("hank");
		}
	}

	@Test
	void scopesOfProtectedEndpointBindTokensAndApiKeys() throws Exception {
		// #4
		String admin = TestTokens.user("kim").scope("admin").sign();
		try (WsTestClient client = WsTestClient.to(uri("/scoped/protected")).bearer(admin).open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("kim");
		}
		String plain = TestTokens.user("kim").scope("profile").sign();
		assertThat(WsTestClient.to(uri("/scoped/protected")).bearer(plain).openRefused().statusCode()).isEqualTo(403);
		assertThat(WsTestClient.to(uri("/scoped/protected"))
			.header("X-API-Key", TestApplication.API_KEY)
			.openRefused()
			.statusCode()).isEqualTo(403);
		try (WsTestClient client = WsTestClient.to(uri("/scoped/protected"))
			.header("X-API-Key", TestApplication.ADMIN_API_KEY)
			.open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("service-admin");
		}
		assertThat(WsTestClient.to(uri("/scoped/protected")).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void scopesOfUserEndpointBindTokens() throws Exception {
		// #4
		try (WsTestClient client = WsTestClient.to(uri("/scoped/user"))
			.bearer(TestTokens.user("lou").scp(List.of("admin")).sign())
			.open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("lou");
		}
		assertThat(WsTestClient.to(uri("/scoped/user"))
			.bearer(TestTokens.user("lou").scope("profile").sign())
			.openRefused()
			.statusCode()).isEqualTo(403);
	}

	@Test
	void scopesOfOptionalEndpointBindAuthenticatedConnectionsAndAnonymousStaysAllowed() throws Exception {
		// #4
		try (WsTestClient client = WsTestClient.open(uri("/scoped/optional"))) {
			assertThat(hello(client).path("user").isNull()).isTrue();
		}
		try (WsTestClient client = WsTestClient.to(uri("/scoped/optional"))
			.bearer(TestTokens.user("max").scope("admin").sign())
			.open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("max");
		}
		assertThat(WsTestClient.to(uri("/scoped/optional"))
			.bearer(TestTokens.user("max").scope("profile").sign())
			.openRefused()
			.statusCode()).isEqualTo(403);
	}

	@Test
	void optionalEndpointAllowsAnonymousAndAuthenticated() throws Exception {
		try (WsTestClient client = WsTestClient.open(uri("/optional/echo"))) {
			assertThat(hello(client).path("user").isNull()).isTrue();
		}
		try (WsTestClient client = WsTestClient.to(uri("/optional/echo"))
			.bearer(TestTokens.user("ivy").sign())
			.open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("ivy");
		}
	}

	@Test
	void optionalEndpointRefusesApiKeysRatherThanConnectAnonymously() throws Exception {
		// #4
		assertThat(WsTestClient.to(uri("/optional/echo"))
			.header("X-API-Key", TestApplication.API_KEY)
			.openRefused()
			.statusCode()).isEqualTo(401);
		assertThat(WsTestClient.to(uri("/optional/echo?api_key=unknown")).openRefused().statusCode()).isEqualTo(401);
	}

	@Test
	void disallowedOriginIsRejectedWith403AndAllowedOriginAccepted() throws Exception {
		assertThat(
				WsTestClient.to(uri("/public/echo")).header("Origin", "https://evil.test").openRefused().statusCode())
			.isEqualTo(403);
		try (WsTestClient client = WsTestClient.to(uri("/public/echo"))
			.header("Origin", "https://allowed.test")
			.open()) {
			hello(client);
		}
		try (WsTestClient client = WsTestClient.to(uri("/public/echo"))
			.header("Origin", "http://127.0.0.1:" + this.port)
			.open()) {
			hello(client);
		}
	}

	@Test
	void endpointsDeclaredWithAnnotationOnClassAndBeanMethodAreRegistered() throws Exception {
		try (WsTestClient client = WsTestClient.open(uri("/annotated/class"))) {
			assertThat(hello(client).path("user").isNull()).isTrue();
		}
		assertThat(WsTestClient.to(uri("/annotated/method")).openRefused().statusCode()).isEqualTo(401);
		try (WsTestClient client = WsTestClient.to(uri("/annotated/method"))
			.bearer(TestTokens.user("jack").sign())
			.open()) {
			assertThat(hello(client).path("user").asString()).isEqualTo("jack");
		}
	}

	@Test
	void pathVariablesReachTheHandler() throws Exception {
		try (WsTestClient client = WsTestClient.open(uri("/public/rooms/lobby-7"))) {
			assertThat(hello(client).path("room").asString()).isEqualTo("lobby-7");
		}
	}

}
