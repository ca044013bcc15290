package dev.wsinfra.client;

import java.util.concurrent.locks.ReentrantLock;

import dev.wsinfra.WebSocketMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls a client's {@link WebSocketListener}, if it has one: one call at a time, nothing
 * after {@code onClose}.
 */
final class ListenerCalls {

	private static final Log logger = LogFactory.getLog(WebSocketClient.class);

	private final WebSocketClient client;

	private final @Nullable WebSocketListener listener;

	private final ReentrantLock lock = new ReentrantLock();

	// Guarded by lock.
	private boolean closed;

	ListenerCalls(WebSocketClient client, @Nullable WebSocketListener listener) {
		this.client = client;
		this.listener = listener;
	}

	boolean isPresent() {
		return this.listener != null;
	}

	/** Returns whether the current thread is inside a listener call. */
	boolean isCallingThread() {
		return this.lock.isHeldByCurrentThread();
	}

	/**
	 * Delivers a message; when the listener throws, reports that to its {@code onError}.
	 * @return what the listener threw, or {@code null}
	 */
	@Nullable RuntimeException message(WebSocketMessage message) {
		WebSocketListener target = this.listener;
		if (target == null) {
			return null;
		}
		this.lock.lock();
		try {
			if (this.closed) {
				return null;
			}
			target.onMessage(this.client, message);
			return null;
		}
		catch (RuntimeException ex) {
			error(ex);
			return ex;
		}
		finally {
			this.lock.unlock();
		}
	}

	void error(Throwable error) {
		WebSocketListener target = this.listener;
		if (target != null) {
			call(() -> target.onError(this.client, error), false);
		}
	}

	void close(int code, String reason) {
		WebSocketListener target = this.listener;
		if (target != null) {
			call(() -> target.onClose(this.client, code, reason), true);
		}
	}

	private void call(Runnable call, boolean last) {
		this.lock.lock();
		try {
			if (!this.closed) {
				this.closed = last;
				call.run();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("WebSocket listener failed", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

}
