package dev.wsinfra.client.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.ReadHandler;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.Writer;
import org.jspecify.annotations.Nullable;

/**
 * One connection's hooks below Tyrus: what the handshake was answered with, the frame
 * guard, and the raw writer and connection with which the client runs its own close
 * handshake. {@link GuardedClientContainer} finds it in the Tyrus properties under
 * {@link #PROPERTY}.
 */
public final class TransportControl {

	/** Key of this object in the properties given to Tyrus. */
	public static final String PROPERTY = TransportControl.class.getName();

	private final long maxMessageSize;

	private final FrameGuard.Events events;

	private final CountDownLatch attached = new CountDownLatch(1);

	private volatile int status = -1;

	private volatile @Nullable String retryAfter;

	private volatile @Nullable Connection connection;

	private volatile @Nullable Writer writer;

	private volatile @Nullable FrameGuard guard;

	/**
	 * Creates the hooks of one connection.
	 * @param maxMessageSize the largest message the guard lets through
	 * @param events what the guard reports to
	 */
	public TransportControl(long maxMessageSize, FrameGuard.Events events) {
		this.maxMessageSize = maxMessageSize;
		this.events = events;
	}

	void responded(UpgradeResponse response) {
		this.status = response.getStatus();
		// Tyrus splits header values at commas, which cuts an HTTP date ("Wed, 21 Oct
		// 2015 07:28:00 GMT") in two; joined again, both forms parse.
		List<String> values = response.getHeaders().get(UpgradeResponse.RETRY_AFTER);
		this.retryAfter = (values != null && !values.isEmpty()) ? String.join(", ", values) : null;
	}

	ReadHandler attach(Connection connection, Writer writer) {
		FrameGuard frameGuard = new FrameGuard(connection.getReadHandler(), this.maxMessageSize, this.events);
		this.guard = frameGuard;
		this.writer = writer;
		this.connection = connection;
		this.attached.countDown();
		return frameGuard;
	}

	/**
	 * Returns the HTTP status of the last handshake response.
	 * @return the status, or -1 when no response came
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns the {@code Retry-After} header of the last handshake response.
	 * @return the raw value, or {@code null}
	 */
	public @Nullable String retryAfter() {
		return this.retryAfter;
	}

	/**
	 * Waits until the upgraded connection is in place; it follows the session's creation
	 * on the transport's thread.
	 * @param timeoutNanos how long to wait at most
	 * @return {@code true} once attached
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitAttached(long timeoutNanos) throws InterruptedException {
		return this.attached.await(timeoutNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Starts the close handshake: from now on no frame reaches Tyrus, the peer's close
	 * frame is reported to {@link FrameGuard.Events#peerClosed}, and a close frame is
	 * written after whatever is being written.
	 * @param code the close code
	 * @param reason the close reason
	 */
	public void sendClose(int code, String reason) {
		FrameGuard frameGuard = this.guard;
		Writer rawWriter = this.writer;
		if (frameGuard == null || rawWriter == null) {
			return;
		}
		frameGuard.startClosing();
		rawWriter.write(Frames.close(code, reason), new CompletionHandler<>() {
		});
	}

	/**
	 * Closes the TCP connection and lets Tyrus report the close with this code.
	 * @param code the close code
	 * @param reason the close reason
	 */
	public void teardown(int code, String reason) {
		Connection tyrusConnection = this.connection;
		if (tyrusConnection != null) {
			tyrusConnection.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
		}
	}

}
