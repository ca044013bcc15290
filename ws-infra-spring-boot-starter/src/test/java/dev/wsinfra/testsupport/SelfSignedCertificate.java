package dev.wsinfra.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key store holding a fresh self-signed certificate for {@code 127.0.0.1}, made by the
 * JDK's {@code keytool}, for a TLS server in a test; and a TLS context that trusts that
 * certificate alone, for its clients.
 */
public final class SelfSignedCertificate {

	public static final String PASSWORD = "changeit";

	public static final String ALIAS = "server";

	private final Path keyStore;

	private SelfSignedCertificate(Path keyStore) {
		this.keyStore = keyStore;
	}

	/**
	 * Generates the certificate, valid for the IP address {@code 127.0.0.1} only.
	 * @return the key store's certificate
	 */
	public static SelfSignedCertificate generate() {
		try {
			Path directory = Files.createTempDirectory("ws-infra-tls");
			Path keyStore = directory.resolve("server.p12");
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
					"-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
					"-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed: " + output);
			}
			keyStore.toFile().deleteOnExit();
			directory.toFile().deleteOnExit();
			return new SelfSignedCertificate(keyStore);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Returns the PKCS12 key store with the key and certificate under {@link #ALIAS}. */
	public Path keyStore() {
		return this.keyStore;
	}

	/**
	 * Returns a TLS context that trusts this certificate and no other.
	 * @return the initialized context
	 */
	public SSLContext trustingContext() {
		try (InputStream input = Files.newInputStream(this.keyStore)) {
			KeyStore server = KeyStore.getInstance("PKCS12");
			server.load(input, PASSWORD.toCharArray());
			Certificate certificate = server.getCertificate(ALIAS);
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry(ALIAS, certificate);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
