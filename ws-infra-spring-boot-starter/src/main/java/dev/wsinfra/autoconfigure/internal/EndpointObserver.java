package dev.wsinfra.autoconfigure.internal;

/**
 * Told what happens on ws-infra's endpoints, for metrics. Implementations must be cheap
 * and thread-safe: they run on the threads that handle handshakes and messages.
 */
public interface EndpointObserver {

	/** An observer that does nothing. */
	EndpointObserver NONE = new EndpointObserver() {
	};

	/** A request answered with its data. */
	String REQUEST_SUCCESS = "success";

	/** A request answered with an error of the handler's or the library's. */
	String REQUEST_ERROR = "error";

	/** A request whose reply did not come within {@code ws.requests.timeout}. */
	String REQUEST_TIMEOUT = "timeout";

	/**
	 * A request refused before any handler saw it: no id, no method, too many pending.
	 */
	String REQUEST_REJECTED = "rejected";

	/** A request whose handler sends the reply itself. */
	String REQUEST_DEFERRED = "deferred";

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

	/**
	 * A request was answered, or handed to the application to answer.
	 * @param outcome {@link #REQUEST_SUCCESS}, {@link #REQUEST_ERROR},
	 * {@link #REQUEST_TIMEOUT}, {@link #REQUEST_REJECTED} or {@link #REQUEST_DEFERRED}
	 * @param nanos from its arrival to its reply
	 */
	default void requestHandled(String outcome, long nanos) {
	}

}
