package dev.wsinfra.integration;

import java.util.Iterator;

import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.client.WebSocketClient;
import dev.wsinfra.config.WebSocketConfig;
import dev.wsinfra.testsupport.SelfSignedCertificate;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client over {@code wss://} to the application served with TLS by Spring Boot's
 * {@code server.ssl.*}, with a self-signed certificate made for the test.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ws.auth.jwt.secret=" + TestTokens.SECRET, "server.ssl.key-store-type=PKCS12",
				"server.ssl.key-store-password=" + SelfSignedCertificate.PASSWORD,
				"server.ssl.key-alias=" + SelfSignedCertificate.ALIAS })
class TlsClientIntegrationTests {

	private static final SelfSignedCertificate certificate = SelfSignedCertificate.generate();

	@DynamicPropertySource
	static void keyStore(DynamicPropertyRegistry registry) {
		registry.add("server.ssl.key-store", () -> certificate.keyStore().toUri().toString());
	}

	@LocalServerPort
	private int port;

	@Test // #14
	void clientTrustingTheServersCertificateTalksOverTls() {
		try (WebSocketClient client = WebSocketClient.builder("wss://127.0.0.1:" + this.port + "/public/echo")
			.config(WebSocketConfig.defaults())
			.sslContext(certificate.trustingContext())
			.open()) {
			assertThat(client.recvJson().path("type").asString()).isEqualTo("hello");
			client.send("over tls");
			assertThat(client.recv().text()).isEqualTo("over tls");
		}
	}

	@Test // #14
	void reconnectingClientsKeepTheBuildersTlsContext() {
		Iterator<WebSocketClient> connections = WebSocketClient.builder("wss://127.0.0.1:" + this.port + "/public/echo")
			.config(WebSocketConfig.defaults())
			.sslContext(certificate.trustingContext())
			.reconnecting()
			.iterator();
		try (WebSocketClient client = connections.next()) {
			assertThat(client.recvJson().path("type").asString()).isEqualTo("hello");
		}
	}

	@Test // #14
	void clientWithTheDefaultTrustRefusesASelfSignedCertificate() {
		WebSocketClient client = WebSocketClient.builder("wss://127.0.0.1:" + this.port + "/public/echo")
			.config(WebSocketConfig.defaults())
			.build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect)
			.withMessageStartingWith("TLS handshake with wss://127.0.0.1:" + this.port + "/public/echo failed");
	}

	@Test // #14
	void clientRefusesATrustedCertificateIssuedForAnotherHost() {
		// The certificate names 127.0.0.1 only; localhost is the same server by another
		// name.
		WebSocketClient client = WebSocketClient.builder("wss://localhost:" + this.port + "/public/echo")
			.config(WebSocketConfig.defaults())
			.sslContext(certificate.trustingContext())
			.build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect)
			.withMessageStartingWith("TLS handshake with wss://localhost:" + this.port + "/public/echo failed");
	}

	@Test // #14
	void plainWebSocketToTheTlsPortFails() {
		WebSocketClient client = WebSocketClient.builder("ws://127.0.0.1:" + this.port + "/public/echo")
			.config(WebSocketConfig.defaults())
			.build();
		assertThatExceptionOfType(ConnectionFailedException.class).isThrownBy(client::connect);
	}

}
