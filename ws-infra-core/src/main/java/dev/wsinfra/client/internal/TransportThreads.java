package dev.wsinfra.client.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.glassfish.tyrus.client.ThreadPoolConfig;
import org.jspecify.annotations.Nullable;

/**
 * The threads of the client's Tyrus transport, and what the transport logs on them.
 * <p>
 * Tyrus's JDK container logs every read that fails on an open connection as a
 * {@code SEVERE} stack trace ({@code ClientFilter.processError}), a peer that resets the
 * connection too: a server that drops a client refusing a message with 1009, for one. The
 * client reports that end to the application itself, as the connection's close, so on its
 * own transport threads such a record becomes one debug line. Records of other threads,
 * and every other record, are left as they are. What the client engine logs of handshakes
 * goes through {@link HandshakeLogFilter}, which takes the credentials out.
 */
final class TransportThreads {

	private static final Log logger = LogFactory.getLog(TransportThreads.class);

	// Held here: java.util.logging keeps loggers weakly, and would drop the filter
	// with it.
	private static final Logger CONTAINER_LOGGER = Logger
		.getLogger("org.glassfish.tyrus.container.jdk.client.ClientFilter");

	// Held here for the same reason.
	private static final Logger ENGINE_LOGGER = Logger.getLogger("org.glassfish.tyrus.client.TyrusClientEngine");

	private static final AtomicInteger threadNumber = new AtomicInteger();

	/**
	 * The transport's workers, for every connection: the JDK container shares one channel
	 * group among its connections and replaces it when a connection arrives with a
	 * different configuration object. A reader held by backpressure keeps one worker
	 * while it waits, so the pool may grow well past Tyrus's default of 20 rather than
	 * stall every other connection.
	 */
	static final ThreadPoolConfig WORKERS = ThreadPoolConfig.defaultConfig()
		.setPoolName("ws-infra-tyrus")
		.setMaxPoolSize(1024)
		.setDaemon(true)
		.setThreadFactory(TransportThread::new);

	static {
		CONTAINER_LOGGER.setFilter(new QuietReadFailures(CONTAINER_LOGGER.getFilter()));
		ENGINE_LOGGER.setFilter(new HandshakeLogFilter(ENGINE_LOGGER.getFilter()));
	}

	private TransportThreads() {
	}

	/** A worker of {@link #WORKERS}. */
	private static final class TransportThread extends Thread {

		TransportThread(Runnable task) {
			super(task, "ws-infra-tyrus-" + threadNumber.incrementAndGet());
			setDaemon(true);
		}

	}

	/** Turns a failed read on a transport thread into a debug line. */
	private static final class QuietReadFailures implements Filter {

		private final @Nullable Filter next;

		QuietReadFailures(@Nullable Filter next) {
			this.next = next;
		}

		@Override
		public boolean isLoggable(LogRecord record) {
			if (Thread.currentThread() instanceof TransportThread
					&& record.getThrown() instanceof IOException failure) {
				if (logger.isDebugEnabled()) {
					logger.debug("Connection failed in the transport: " + failure);
				}
				return false;
			}
			return this.next == null || this.next.isLoggable(record);
		}

	}

}
