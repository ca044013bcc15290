package dev.wsinfra.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID provider on a loopback port, as far as a resource server sees one: its
 * discovery document at {@code /.well-known/openid-configuration} and its JSON Web Key
 * Set at {@code /jwks}, which a test can replace to rotate the keys.
 */
public final class LocalIssuer implements AutoCloseable {

	private final HttpServer server;

	private final AtomicInteger jwksRequests = new AtomicInteger();

	private volatile String jwks = new JWKSet().toString();

	private LocalIssuer(HttpServer server) {
		this.server = server;
	}

	public static LocalIssuer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			LocalIssuer issuer = new LocalIssuer(server);
			server.createContext("/.well-known/openid-configuration",
					(exchange) -> issuer.respond(exchange,
							"{\"issuer\":\"" + issuer.uri() + "\",\"jwks_uri\":\"" + issuer.uri() + "/jwks\","
									+ "\"subject_types_supported\":[\"public\"],"
									+ "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
			server.createContext("/jwks", (exchange) -> {
				issuer.jwksRequests.incrementAndGet();
				issuer.respond(exchange, issuer.jwks);
			});
			server.start();
			return issuer;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Returns the issuer identifier, which is also where its documents are served. */
	public String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Serves these public keys, RS256 signing keys named by their key ids, alone. */
	public void serveKeys(List<NamedKey> keys) {
		this.jwks = new JWKSet(keys.stream()
			.map((key) -> new RSAKey.Builder((RSAPublicKey) key.pair().getPublic()).keyID(key.id())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.build())
			.map(com.nimbusds.jose.jwk.JWK.class::cast)
			.toList()).toString();
	}

	/** Returns how often the key set was fetched. */
	public int jwksRequests() {
		return this.jwksRequests.get();
	}

	private void respond(HttpExchange exchange, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/**
	 * A key pair and the id the issuer publishes it under.
	 *
	 * @param id the key id ({@code kid})
	 * @param pair the key pair
	 */
	public record NamedKey(String id, KeyPair pair) {

		public static NamedKey generate(String id) {
			return new NamedKey(id, TestTokens.rsaKeyPair());
		}

	}

}
