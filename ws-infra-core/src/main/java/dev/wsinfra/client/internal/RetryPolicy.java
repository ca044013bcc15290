package dev.wsinfra.client.internal;

/**
 * Which failures a reconnecting client retries. A failure is terminal when trying again
 * the same way cannot succeed: retrying it would loop until the attempts run out, or for
 * ever.
 * <ul>
 * <li>A handshake answered with an HTTP status is retried only for 408 (request timeout),
 * 425 (too early), 429 (too many requests) and 5xx; every other status (3xx, which the
 * client does not follow, 4xx such as 401, 403 and 404, and a 2xx instead of 101) is
 * terminal.</li>
 * <li>A close code is terminal for 1002 (protocol error), 1003 (unsupported data), 1007
 * (invalid payload), 1008 (policy violation), 1009 (message too big), 1010 (missing
 * extension), 1015 (TLS failure), 3000 and 3003 (unauthorized and forbidden, as
 * registered with IANA) and the private range 4000-4999, whose meaning only the
 * application knows. Every other code, notably 1000, 1001, 1005, 1006 and 1011-1014, is
 * retried.</li>
 * </ul>
 */
public final class RetryPolicy {

	private RetryPolicy() {
	}

	/**
	 * Returns whether a handshake answered with this status may succeed when tried again.
	 * @param status the HTTP status of the handshake response
	 * @return {@code true} for 408, 425, 429 and 5xx
	 */
	public static boolean isRetryableStatus(int status) {
		return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
	}

	/**
	 * Returns whether a connection closed with this code must not be re-established.
	 * @param code the close code
	 * @return {@code true} for the terminal codes listed on this class
	 */
	public static boolean isTerminalCloseCode(int code) {
		return switch (code) {
			case 1002, 1003, 1007, 1008, 1009, 1010, 1015, 3000, 3003 -> true;
			default -> code >= 4000 && code <= 4999;
		};
	}

}
