package dev.wsinfra.integration;

import java.net.URI;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;

import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.LocalIssuer;
import dev.wsinfra.testsupport.LocalIssuer.NamedKey;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT validation by an OpenID issuer on the success path: {@code ws.auth.jwt.issuer-uri}
 * alone, the keys found through the issuer's discovery document, RS256 tokens, and a key
 * rotation at the issuer.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ws.auth.jwt.audiences=" + TestTokens.AUDIENCE)
class IssuerKeysIntegrationTests {

	private static final LocalIssuer issuer = LocalIssuer.start();

	private static final NamedKey first = NamedKey.generate("key-1");

	private static final NamedKey second = NamedKey.generate("key-2");

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("ws.auth.jwt.issuer-uri", issuer::uri);
	}

	@AfterAll
	static void stopIssuer() {
		issuer.close();
	}

	@LocalServerPort
	private int port;

	@Test // #14
	void tokensSignedWithTheIssuersCurrentKeyAreAcceptedAcrossARotation() throws Exception {
		issuer.serveKeys(List.of(first));
		int requests = issuer.jwksRequests();
		assertConnects(token("before-rotation", first), "before-rotation");
		assertConnects(token("cached", first), "cached");
		assertThat(issuer.jwksRequests() - requests).as("keys fetched once while they verify the tokens")
			.isLessThanOrEqualTo(1);
		assertThat(refusal(TestTokens.user("forged").issuer(issuer.uri()).signWith(privateKey(second), "key-1")))
			.as("a token naming a known key id but signed with another key")
			.isEqualTo(401);

		// The issuer publishes a new key and withdraws the old one.
		issuer.serveKeys(List.of(second));
		requests = issuer.jwksRequests();
		assertConnects(token("after-rotation", second), "after-rotation");
		assertThat(issuer.jwksRequests() - requests).as("an unknown key id fetches the keys again").isOne();
		assertThat(refusal(token("withdrawn", first))).as("a token signed with the withdrawn key").isEqualTo(401);
	}

	@Test // #14
	void aTokenFromAnotherIssuerOrSignedWithAnUnpublishedKeyIsRefused() {
		// Keys of their own, so that the keys cached by the other test play no part.
		NamedKey published = NamedKey.generate("key-3");
		issuer.serveKeys(List.of(published));
		assertConnects(token("fine", published), "fine");
		assertThat(refusal(
				TestTokens.user("elsewhere").issuer("https://other.test").signWith(privateKey(published), "key-3")))
			.isEqualTo(401);
		assertThat(refusal(token("unpublished", NamedKey.generate("key-4")))).isEqualTo(401);
		assertConnects(token("still-fine", published), "still-fine");
	}

	private static String token(String subject, NamedKey key) {
		return TestTokens.user(subject).issuer(issuer.uri()).signWith(privateKey(key), key.id());
	}

	private static RSAPrivateKey privateKey(NamedKey key) {
		return (RSAPrivateKey) key.pair().getPrivate();
	}

	private void assertConnects(String token, String user) {
		try (WsTestClient client = WsTestClient.to(uri()).bearer(token).open()) {
			assertThat(client.nextText()).contains("\"userId\":\"" + user + "\"");
		}
	}

	private int refusal(String token) {
		return WsTestClient.to(uri()).bearer(token).openRefused().statusCode();
	}

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/user/echo");
	}

}
