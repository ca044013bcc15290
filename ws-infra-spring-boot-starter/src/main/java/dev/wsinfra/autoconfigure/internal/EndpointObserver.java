package dev.wsinfra.autoconfigure.internal;

/**
 * Told what happens on ws-infra's endpoints, for metrics. Implementations must be cheap
 * and thread-safe: they run on the threads that handle handshakes and messages.
 */
public interface EndpointObserver {

	/** An observer that does nothing. */
	EndpointObserver NONE = new EndpointObserver() {
	};

	/**
	 * A handshake was refused.
	 * @param reason {@code unauthorized}, {@code forbidden}, {@code origin},
	 * {@code instance_capacity} or {@code shutting_down}
	 */
	default void handshakeRejected(String reason) {
	}

	/**
	 * The library closed a connection.
	 * @param reason the reason
	 */
	default void closed(CloseReason reason) {
	}

	/**
	 * A whole message was received and handled.
	 * @param type {@code text} or {@code binary}
	 * @param nanos how long the handler took
	 */
	default void messageReceived(String type, long nanos) {
	}

}
