package dev.wsinfra.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

import dev.wsinfra.ConnectionFailedException;
import dev.wsinfra.ConnectionState;
import dev.wsinfra.WebSocketException;
import dev.wsinfra.client.internal.Backoff;
import dev.wsinfra.client.internal.InboundQueue;
import dev.wsinfra.client.internal.RetryPolicy;
import dev.wsinfra.config.WebSocketConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The connections of {@link WebSocketClient.Builder#reconnecting()}: each iterator opens
 * a new client whenever the previous one has ended, with backoff between attempts.
 */
final class ReconnectingClients implements Iterable<WebSocketClient> {

	private static final Log logger = LogFactory.getLog(WebSocketClient.class);

	private final Supplier<WebSocketClient> clients;

	private final WebSocketConfig config;

	private final String url;

	ReconnectingClients(Supplier<WebSocketClient> clients, WebSocketConfig config, String url) {
		this.clients = clients;
		this.config = config;
		this.url = url;
	}

	@Override
	public Iterator<WebSocketClient> iterator() {
		return new Connections();
	}

	private final class Connections implements Iterator<WebSocketClient> {

		private final Backoff backoff;

		private @Nullable WebSocketClient current;

		private @Nullable WebSocketClient ready;

		private boolean finished;

		private int waits;

		Connections() {
			WebSocketConfig config = ReconnectingClients.this.config;
			this.backoff = new Backoff(config.reconnectBackoffBase(), config.reconnectBackoffMax(),
					config.reconnectJitter());
		}

		@Override
		public boolean hasNext() {
			if (this.ready != null) {
				return true;
			}
			if (this.finished) {
				return false;
			}
			Duration wait = null;
			WebSocketClient previous = this.current;
			if (previous != null) {
				this.current = null;
				if (!afterConnection(previous)) {
					return false;
				}
				wait = this.backoff.delay(this.waits++);
			}
			return connect(wait);
		}

		/** Decides, once a connection was handed out, whether to open another. */
		private boolean afterConnection(WebSocketClient previous) {
			if (previous.state() != ConnectionState.CLOSED) {
				previous.close();
			}
			ClientConnection connection = previous.connection();
			InboundQueue.End end = connection.closure();
			if (end != null && !connection.closedByApplication() && RetryPolicy.isTerminalCloseCode(end.code())) {
				this.finished = true;
				throw end.toException();
			}
			if (!ReconnectingClients.this.config.reconnectEnabled()) {
				this.finished = true;
				return false;
			}
			if (end != null) {
				logger.debug("Connection to " + ReconnectingClients.this.url + " ended with " + end.code()
						+ ", reconnecting");
			}
			return true;
		}

		private boolean connect(@Nullable Duration firstWait) {
			WebSocketConfig config = ReconnectingClients.this.config;
			Duration wait = firstWait;
			int failures = 0;
			while (true) {
				if (wait != null) {
					sleep(wait);
				}
				WebSocketClient client = ReconnectingClients.this.clients.get();
				try {
					client.connect();
					this.waits = 0;
					this.current = client;
					this.ready = client;
					return true;
				}
				catch (ConnectionFailedException ex) {
					failures++;
					int status = ex.httpStatus().orElse(-1);
					if ((status > 0 && !RetryPolicy.isRetryableStatus(status)) || !config.reconnectEnabled()) {
						this.finished = true;
						throw ex;
					}
					if (config.reconnectMaxAttempts() > 0 && failures >= config.reconnectMaxAttempts()) {
						this.finished = true;
						throw new ConnectionFailedException("Gave up connecting to " + ReconnectingClients.this.url
								+ " after " + failures + " failed attempts in a row", ex, status,
								ex.retryAfter().orElse(null));
					}
					Duration backoffWait = this.backoff.delay(this.waits++);
					wait = ex.retryAfter().map(this::capped).orElse(backoffWait);
					logger.debug("Connecting to " + ReconnectingClients.this.url + " failed (" + ex.getMessage()
							+ "), trying again in " + wait.toMillis() + " ms");
				}
			}
		}

		// A server may ask for hours; the client never waits longer than its
		// longest backoff.
		private Duration capped(Duration retryAfter) {
			Duration longest = ReconnectingClients.this.config.reconnectBackoffMax();
			return (retryAfter.compareTo(longest) > 0) ? longest : retryAfter;
		}

		private void sleep(Duration wait) {
			try {
				Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
			}
			catch (InterruptedException ex) {
				this.finished = true;
				Thread.currentThread().interrupt();
				throw new WebSocketException("Interrupted while waiting to reconnect", ex);
			}
		}

		@Override
		public WebSocketClient next() {
			if (!hasNext()) {
				throw new NoSuchElementException("No more connections");
			}
			WebSocketClient client = this.ready;
			this.ready = null;
			return client;
		}

	}

}
