package dev.wsinfra.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.internal.LogValues;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension;
import org.jspecify.annotations.Nullable;

/**
 * Opens one connection with Tyrus, bounded by the open timeout, and turns every way it
 * can fail into a {@link ConnectionFailedException}. Each connection gets its own
 * {@link ClientManager}, created by class name with {@link GuardedClientContainer}, never
 * through {@code ContainerProvider}, which may hand out another container (Tomcat's) in
 * the same JVM.
 */
public final class TyrusConnector {

	// Tyrus's own timeout only starts after TCP connects; the client's deadline covers
	// both, so Tyrus gets a little longer and the client's message is the one reported.
	private static final long TYRUS_HANDSHAKE_GRACE_MILLIS = 1000;

	private TyrusConnector() {
	}

	/**
	 * Opens a connection and waits, at most {@code openTimeout}, for the handshake.
	 * @param uri the {@code ws} or {@code wss} URL
	 * @param endpoint receives the session's events
	 * @param headers extra handshake headers
	 * @param subprotocols subprotocols to offer, in order of preference
	 * @param sslContext the TLS context of a {@code wss} URL, or {@code null} for the
	 * JVM's default
	 * @param permessageDeflate whether to offer the permessage-deflate extension
	 * @param openTimeout the deadline for TCP, TLS and the HTTP upgrade together
	 * @param maxMessageSize the largest message to receive, in bytes
	 * @param control the connection's hooks below Tyrus
	 * @return the open session, its frame guard attached
	 * @throws ConnectionFailedException if the connection could not be opened
	 */
	public static Session connect(URI uri, Endpoint endpoint, Map<String, List<String>> headers,
			List<String> subprotocols, @Nullable SSLContext sslContext, boolean permessageDeflate, Duration openTimeout,
			long maxMessageSize, TransportControl control) {
		long deadline = System.nanoTime() + openTimeout.toNanos();
		ClientManager manager = ClientManager.createClient(GuardedClientContainer.class.getName());
		Map<String, Object> properties = manager.getProperties();
		properties.put(ClientProperties.HANDSHAKE_TIMEOUT,
				(int) Math.min(Integer.MAX_VALUE, openTimeout.toMillis() + TYRUS_HANDSHAKE_GRACE_MILLIS));
		properties.put(ClientProperties.INCOMING_BUFFER_SIZE, incomingBufferSize(maxMessageSize));
		properties.put(ClientProperties.WORKER_THREAD_POOL_CONFIG, TransportThreads.WORKERS);
		properties.put(TransportControl.PROPERTY, control);
		if (sslContext != null) {
			// Tyrus's JDK container ignores ClientEndpointConfig's SSL context; its own
			// configurator verifies the host name by default.
			properties.put(ClientProperties.SSL_ENGINE_CONFIGURATOR, new SslEngineConfigurator(sslContext));
		}
		Attempt attempt = new Attempt(endpoint);
		Future<Session> future;
		try {
			future = manager.asyncConnectToServer(attempt, endpointConfig(headers, subprotocols, permessageDeflate),
					uri);
		}
		catch (DeploymentException ex) {
			throw new ConnectionFailedException("Could not connect to " + Urls.redact(uri) + ": " + describe(ex), ex);
		}
		try {
			Session session = future.get(openTimeout.toNanos(), TimeUnit.NANOSECONDS);
			if (!control.awaitAttached(Math.max(0, deadline - System.nanoTime()))) {
				throw new TimeoutException();
			}
			return session;
		}
		catch (TimeoutException ex) {
			attempt.abandon();
			throw new ConnectionFailedException("Opening handshake with " + Urls.redact(uri)
					+ " did not complete within " + Urls.seconds(openTimeout), ex);
		}
		catch (InterruptedException ex) {
			attempt.abandon();
			Thread.currentThread().interrupt();
			throw new ConnectionFailedException("Interrupted while connecting to " + Urls.redact(uri), ex);
		}
		catch (ExecutionException ex) {
			throw failure(uri, control, (ex.getCause() != null) ? ex.getCause() : ex);
		}
	}

	static int incomingBufferSize(long maxMessageSize) {
		long frame = Math.max(maxMessageSize, FrameGuard.AGGREGATION_THRESHOLD) + Frames.MAX_HEADER_LENGTH;
		// Tyrus keeps the start of an incomplete frame and appends whole reads to it
		return (int) Math.min(Integer.MAX_VALUE - 64, frame + 2L * FrameGuard.AGGREGATION_THRESHOLD);
	}

	private static ClientEndpointConfig endpointConfig(Map<String, List<String>> headers, List<String> subprotocols,
			boolean permessageDeflate) {
		return ClientEndpointConfig.Builder.create()
			.preferredSubprotocols(subprotocols)
			.extensions(permessageDeflate ? List.of(new PerMessageDeflateExtension()) : List.of())
			.configurator(new ClientEndpointConfig.Configurator() {

				@Override
				public void beforeRequest(Map<String, List<String>> request) {
					headers.forEach((name, values) -> request.put(name, new ArrayList<>(values)));
				}

			})
			.build();
	}

	static ConnectionFailedException failure(URI uri, TransportControl control, Throwable error) {
		String url = Urls.redact(uri);
		int status = control.status();
		if (status > 0 && status != 101) {
			return new ConnectionFailedException("Handshake with " + url + " was rejected with HTTP status " + status,
					error, status, Urls.parseRetryAfter(control.retryAfter(), Instant.now()));
		}
		Throwable root = rootCause(error);
		SSLException tls = tlsFailure(error);
		if (tls != null) {
			return new ConnectionFailedException("TLS handshake with " + url + " failed: " + describe(root), tls);
		}
		if (root instanceof ConnectException) {
			return new ConnectionFailedException("Connection to " + url + " was refused", root);
		}
		if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
			return new ConnectionFailedException("Unknown host " + uri.getHost(), root);
		}
		if (status == 101) {
			return new ConnectionFailedException("Handshake with " + url + " failed: " + describe(root), error);
		}
		return new ConnectionFailedException("Could not connect to " + url + ": " + describe(root), error);
	}

	/**
	 * Returns the TLS failure among the causes: an untrusted certificate is a certificate
	 * path exception under the {@link SSLException}.
	 */
	private static @Nullable SSLException tlsFailure(Throwable error) {
		Throwable current = error;
		for (int depth = 0; current != null && depth < 20; depth++) {
			if (current instanceof SSLException tls) {
				return tls;
			}
			current = current.getCause();
		}
		return null;
	}

	private static Throwable rootCause(Throwable error) {
		Throwable current = error;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The failure's message, escaped: it may quote what the server sent, such as a
	 * header.
	 */
	private static String describe(Throwable error) {
		return (error.getMessage() != null) ? LogValues.escape(error.getMessage()) : error.getClass().getSimpleName();
	}

	/**
	 * The endpoint of one attempt: once the caller gave up waiting, a session that opens
	 * late is closed instead of reaching the client.
	 */
	private static final class Attempt extends Endpoint {

		private final Endpoint endpoint;

		// Guarded by this.
		private @Nullable Session session;

		// Guarded by this.
		private boolean abandoned;

		Attempt(Endpoint endpoint) {
			this.endpoint = endpoint;
		}

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			synchronized (this) {
				if (this.abandoned) {
					closeQuietly(session);
					return;
				}
				this.session = session;
			}
			this.endpoint.onOpen(session, config);
		}

		@Override
		public void onClose(Session session, CloseReason reason) {
			if (isDelivered()) {
				this.endpoint.onClose(session, reason);
			}
		}

		@Override
		public void onError(Session session, Throwable error) {
			if (isDelivered()) {
				this.endpoint.onError(session, error);
			}
		}

		private synchronized boolean isDelivered() {
			return this.session != null && !this.abandoned;
		}

		void abandon() {
			Session opened;
			synchronized (this) {
				this.abandoned = true;
				opened = this.session;
			}
			if (opened != null) {
				closeQuietly(opened);
			}
		}

		private static void closeQuietly(Session session) {
			try {
				session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "Client gave up waiting"));
			}
			catch (IOException | RuntimeException ex) {
				// already closed
			}
		}

	}

}
